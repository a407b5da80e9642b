export default {
  displayName: 'marketing',
  preset: '../../jest.preset.js',
};
