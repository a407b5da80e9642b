// Static checks of the deployment files (deploy.spec.ts): `npx jest -c deploy/jest.config.ts`.
export default {
  displayName: 'deploy',
  preset: '../jest.preset.js',
};
