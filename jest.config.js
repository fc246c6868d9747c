/**
 * ts-jest transpiles only (tsconfig's isolatedModules): type-checking is its own step
 * (`npm run typecheck`), which keeps the suite several times faster.
 * @type {import('jest').Config}
 */
module.exports = {
  testEnvironment: 'node',
  // A cap against a hung test, not a speed check: IAM simulations, property runs and CDK synths
  // take seconds each, several times that on a loaded 2-core machine.
  testTimeout: 120_000,
  roots: ['<rootDir>/test'],
  testMatch: ['**/*.test.ts'],
  transform: { '^.+\\.ts$': ['ts-jest', { tsconfig: '<rootDir>/tsconfig.json' }] },
  setupFiles: ['<rootDir>/test/setup-env.js'],
  setupFilesAfterEnv: ['aws-sdk-client-mock-jest'],
  cacheDirectory: '<rootDir>/.jest-cache',
};
