export default {
  displayName: 'customer-master',
  preset: '../../jest.preset.js',
};
