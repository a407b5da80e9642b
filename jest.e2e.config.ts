// End-to-end tier: the whole stack started the way a user starts it (`npm run stack`), used over
// HTTP, then stopped. It runs a separate named stack (own ports, databases, consumer groups).
// eslint-disable-next-line @typescript-eslint/no-require-imports
const preset = require('./jest.preset.js');

export default {
  ...preset,
  displayName: 'e2e',
  rootDir: __dirname,
  roots: ['<rootDir>/e2e'],
  testMatch: ['**/*.e2e-spec.ts'],
  testTimeout: 600_000,
  maxWorkers: 1,
};
