// Integration tier: *.integration-spec.ts against the real PostgreSQL and the real Kafka broker.
// Runs in band (one worker): the tests share one broker and one database server.
// eslint-disable-next-line @typescript-eslint/no-require-imports
const preset = require('./jest.preset.js');

export default {
  ...preset,
  displayName: 'integration',
  rootDir: __dirname,
  roots: ['<rootDir>/apps', '<rootDir>/libs'],
  testMatch: ['**/*.integration-spec.ts'],
  testTimeout: 180_000,
  maxWorkers: 1,
  globalSetup: '<rootDir>/libs/testing/src/global-setup.js',
};
