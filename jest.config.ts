import { getJestProjectsAsync } from '@nx/jest';

// Unit tier: every project's colocated *.spec.ts, fast, no infrastructure.
export default async () => ({
  projects: await getJestProjectsAsync(),
});
