export default {
  displayName: 'customer-directory',
  preset: '../../jest.preset.js',
};
