// Shared jest setup: every package's tests run its TypeScript sources through SWC and
// resolve sibling @signal packages to their sources, so a test never sees a stale dist/.
const path = require('node:path');

const packagesDir = path.join(__dirname, 'packages');

/** @param {string} packageDir @param {string} displayName */
module.exports = function jestConfig(packageDir, displayName) {
  return {
    displayName,
    rootDir: packageDir,
    testEnvironment: path.join(__dirname, 'jest/ortEnvironment.cjs'),
    testMatch: ['<rootDir>/test/**/*.test.ts'],
    transform: {
      '^.+\\.(t|j)sx?$': [
        '@swc/jest',
        {
          jsc: { parser: { syntax: 'typescript' }, target: 'es2022' },
          module: { type: 'commonjs' },
        },
      ],
    },
    // Read when a package runs on its own (pnpm --filter X test); the root config sets it for the suite.
    testTimeout: 60_000,
    moduleNameMapper: {
      '^@signal/client/runtime$': path.join(packagesDir, 'client-sdk/src/runtime/index.ts'),
      '^@signal/client$': path.join(packagesDir, 'client-sdk/src/index.ts'),
      '^@signal/dashboard/testing$': path.join(packagesDir, 'dashboard/src/testing/index.ts'),
      '^@signal/(core|chain|runtime|lora|miner|validator|gateway|cli|proxy|dashboard)$': path.join(
        packagesDir,
        '$1/src/index.ts',
      ),
    },
  };
};
