/** The whole suite: one jest run over every package, so CI reports one total. */
module.exports = {
  projects: ['<rootDir>/packages/*/jest.config.cjs'],
  maxWorkers: 2,
  // A global option: jest ignores testTimeout inside project configs.
  testTimeout: 60_000,
  // How long a worker may take to exit after the last file. Exiting unmaps its heap, and on a
  // machine whose cores are saturated (pnpm test:stress, a busy CI runner) that alone outlasts
  // jest's 500 ms default. A worker held open by a leaked handle never exits and is still
  // reported, after this delay.
  workerGracefulExitTimeout: 5_000,
};
