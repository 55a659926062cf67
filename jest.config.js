/** @type {import('jest').Config} */
module.exports = {
  testEnvironment: 'node',
  roots: ['<rootDir>/tests'],
  testMatch: ['**/*.test.ts'],
  transform: {
    // tsconfig sets isolatedModules: ts-jest transpiles each file alone; `npm run typecheck` checks types once.
    '^.+\\.ts$': ['ts-jest', { tsconfig: 'tsconfig.json' }],
  },
  moduleFileExtensions: ['ts', 'js', 'json'],
  // The module the Functions worker provides to apps: under test, the local host's stand-in.
  moduleNameMapper: { '^@azure/functions-core$': '<rootDir>/tools/funchost/core-api.ts' },
  globalSetup: '<rootDir>/tests/rig/global-setup.ts',
  globalTeardown: '<rootDir>/tests/rig/global-teardown.ts',
  testTimeout: 30000,
  // The watchdog names a hung test file and ends the run instead of letting CI's limit kill it.
  reporters: ['default', '<rootDir>/tests/rig/watchdog-reporter.js'],
  // Two cores on every machine we run on; more workers only fight over them.
  maxWorkers: 2,
};
