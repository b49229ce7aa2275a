/**
 * Four tiers, one run (`npm test` gives one JSON result for all of them):
 *   unit    src/**.spec.ts, pure: no database, no Redis, no global setup (`npm run test:unit`)
 *   medium  test/medium, real PostgreSQL + Redis
 *   e2e     test/e2e, the whole app over HTTP, every answer checked against the OpenAPI document
 *   browser test/browser, the dashboard and the workbench in Chromium
 * The last three share one global setup: a template database migrated once per run, cloned per test file.
 * `npx jest --selectProjects unit` (or medium, e2e, browser) runs one tier; file paths go after `--`.
 */
const shared = {
  rootDir: '.',
  moduleFileExtensions: ['js', 'json', 'ts'],
  transform: { '^.+\\.ts$': ['ts-jest', { tsconfig: 'tsconfig.spec.json' }] },
  testEnvironment: 'node',
};
const withDatabase = {
  ...shared,
  globalSetup: '<rootDir>/test/setup/global-setup.ts',
  globalTeardown: '<rootDir>/test/setup/global-teardown.ts',
};

module.exports = {
  projects: [
    { ...shared, displayName: 'unit', testMatch: ['<rootDir>/src/**/*.spec.ts'] },
    { ...withDatabase, displayName: 'medium', testMatch: ['<rootDir>/test/medium/**/*.spec.ts'] },
    {
      ...withDatabase,
      displayName: 'e2e',
      testMatch: ['<rootDir>/test/e2e/**/*.spec.ts'],
      // every answer of the e2e suite is checked against the API document
      setupFiles: ['<rootDir>/test/setup/openapi-strict.ts'],
    },
    { ...withDatabase, displayName: 'browser', testMatch: ['<rootDir>/test/browser/**/*.spec.ts'] },
  ],
  testTimeout: 60000,
  // a worker that has grown past this after a test file is replaced by a fresh one: each file's app and
  // pools are let go, but a long-lived worker's heap still grows over dozens of files, and the upload
  // memory test measures its process's RSS
  workerIdleMemoryLimit: '1GB',
  maxWorkers: process.env.JEST_WORKERS || (process.env.CI ? 2 : '50%'),
};
