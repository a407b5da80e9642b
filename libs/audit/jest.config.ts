export default {
  displayName: 'audit',
  preset: '../../jest.preset.js',
};
