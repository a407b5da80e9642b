export default {
  displayName: 'workspace-checks',
  preset: '../../jest.preset.js',
  testMatch: ['<rootDir>/*.spec.ts'],
  testTimeout: 120_000,
};
