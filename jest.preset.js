// Shared Jest settings: SWC compiles TypeScript (with decorator metadata for NestJS), and the
// workspace's `@bank-crm/*` imports resolve to the libs' sources.
const path = require('node:path');
const fs = require('node:fs');

const swcrc = JSON.parse(fs.readFileSync(path.join(__dirname, '.swcrc'), 'utf8'));
const { compilerOptions } = JSON.parse(
  fs.readFileSync(path.join(__dirname, 'tsconfig.base.json'), 'utf8'),
);

const moduleNameMapper = {};
for (const [alias, [target]] of Object.entries(compilerOptions.paths ?? {})) {
  moduleNameMapper[`^${alias.replace('/', '\\/')}$`] = path.join(__dirname, target);
}

module.exports = {
  testEnvironment: 'node',
  transform: { '^.+\\.ts$': ['@swc/jest', { ...swcrc, swcrc: false }] },
  moduleFileExtensions: ['ts', 'js', 'json'],
  moduleNameMapper,
  testMatch: ['<rootDir>/**/*.spec.ts'],
  testPathIgnorePatterns: ['/node_modules/', '/dist/'],
};
