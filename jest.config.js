/** One config for the three tiers: small (src/**.spec.ts, pure), medium and e2e (test/**.spec.ts,
 *  real PostgreSQL + Redis, a database cloned from a migrated template per test file). */
module.exports = {
  rootDir: '.',
  moduleFileExtensions: ['js', 'json', 'ts'],
  testRegex: '(src|test)/.*\\.spec\\.ts$',
  transform: { '^.+\\.ts$': ['ts-jest', { tsconfig: 'tsconfig.spec.json' }] },
  testEnvironment: 'node',
  globalSetup: '<rootDir>/test/setup/global-setup.ts',
  globalTeardown: '<rootDir>/test/setup/global-teardown.ts',
  testTimeout: 60000,
  maxWorkers: process.env.JEST_WORKERS || (process.env.CI ? 2 : '50%'),
};
