// npm run security:doc [-- --check]
// Regenerates the role x endpoint tables of docs/security.md from the route tables of the five
// services (read from their module metadata: nothing is started). --check only compares, and
// exits 1 when the document is out of date. Each app's route-policy unit test checks its own table.
import { readFileSync, writeFileSync } from 'node:fs';
import * as path from 'node:path';

import {
  extractServiceRouteSection,
  normaliseMarkdownTables,
  renderServiceRouteSection,
  routesWithoutPolicy,
} from '@bank-crm/auth';
import type { BaseConfig, ServiceDefinition } from '@bank-crm/service-runtime';
import { offlineRouteTable } from '@bank-crm/testing';

const DOC = path.resolve(__dirname, '..', 'docs', 'security.md');

/** Each service's definition module and export, loaded one by one so one broken app is reported. */
const SERVICES: [string, () => Promise<Record<string, unknown>>, string][] = [
  [
    'customer-master',
    () => import('../apps/customer-master/src/service-definition'),
    'customerMasterService',
  ],
  [
    'account-bridge',
    () => import('../apps/account-bridge/src/service-definition'),
    'accountBridgeService',
  ],
  ['marketing', () => import('../apps/marketing/src/service-definition'), 'marketingService'],
  ['sales', () => import('../apps/sales/src/service-definition'), 'salesService'],
  ['service', () => import('../apps/service/src/service-definition'), 'serviceService'],
];

async function main(): Promise<void> {
  const check = process.argv.includes('--check');
  const original = readFileSync(DOC, 'utf8');
  let doc = original;
  const problems: string[] = [];
  for (const [name, load, exportName] of SERVICES) {
    let def: ServiceDefinition<BaseConfig>;
    try {
      def = (await load())[exportName] as ServiceDefinition<BaseConfig>;
    } catch (error) {
      problems.push(
        `${name}: cannot load its service definition (${(error as Error).message.split('\n')[0]}); its table is left as it is`,
      );
      continue;
    }
    const routes = offlineRouteTable(def);
    for (const r of routesWithoutPolicy(routes))
      problems.push(`${def.serviceName}: ${r.method} ${r.path} has no @Roles/@Public (denied)`);
    const current = extractServiceRouteSection(doc, def.serviceName);
    if (current === undefined) {
      problems.push(`${def.serviceName}: docs/security.md has no route-table markers`);
      continue;
    }
    const generated = renderServiceRouteSection(def.serviceName, routes);
    if (normaliseMarkdownTables(current) !== normaliseMarkdownTables(generated))
      doc = doc.replace(current, generated);
  }
  for (const p of problems) process.stderr.write(`${p}\n`);
  if (check) {
    if (doc !== original) {
      process.stderr.write('docs/security.md is out of date: run npm run security:doc\n');
      process.exit(1);
    }
    if (problems.length) process.exit(1);
    process.stdout.write('docs/security.md is up to date\n');
    return;
  }
  // written as prettier would (npm run format:check covers docs/)
  const prettier = await import('prettier');
  const options = (await prettier.resolveConfig(DOC)) ?? {};
  const formatted = await prettier.format(doc, { ...options, filepath: DOC });
  writeFileSync(DOC, formatted);
  process.stdout.write(
    formatted === original ? 'docs/security.md unchanged\n' : 'docs/security.md updated\n',
  );
}

void main().catch((error: unknown) => {
  process.stderr.write(`security:doc failed: ${(error as Error).message}\n`);
  process.exit(2);
});
