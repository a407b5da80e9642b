export default {
  displayName: 'sales',
  preset: '../../jest.preset.js',
};
