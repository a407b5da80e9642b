import { readFileSync } from 'node:fs';
import * as path from 'node:path';

import {
  extractServiceRouteSection,
  normaliseMarkdownTables,
  renderServiceRouteSection,
} from '@bank-crm/auth';
import {
  assertEveryRouteHasAPolicy,
  OFFLINE_CONFIG_ENV as OFFLINE,
  offlineRouteTable,
} from '@bank-crm/testing';

import { salesService } from '../service-definition';

const DOC = path.resolve(__dirname, '../../../../docs/security.md');

describe('sales route policy', () => {
  const routes = offlineRouteTable(salesService);

  it('declares @Roles or @Public on every HTTP route (deny by default)', () => {
    expect(() =>
      assertEveryRouteHasAPolicy(salesService.appModule(salesService.loadConfig({ ...OFFLINE }))),
    ).not.toThrow();
    expect(routes.length).toBeGreaterThan(0);
  });

  it('is documented as it is: docs/security.md (npm run security:doc regenerates it)', () => {
    const doc = readFileSync(DOC, 'utf8');
    const documented = extractServiceRouteSection(doc, 'sales');
    expect(documented).toBeDefined();
    expect(normaliseMarkdownTables(documented!)).toBe(
      normaliseMarkdownTables(renderServiceRouteSection('sales', routes)),
    );
  });
});
