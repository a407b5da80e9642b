export default {
  displayName: 'account-bridge',
  preset: '../../jest.preset.js',
};
