/** The whole suite: one jest run over every package, so CI reports one total. */
module.exports = {
  projects: ['<rootDir>/packages/*/jest.config.cjs'],
  maxWorkers: 2,
  // A global option: jest ignores testTimeout inside project configs.
  testTimeout: 60_000,
};
