export default {
  displayName: 'pii',
  preset: '../../jest.preset.js',
};
