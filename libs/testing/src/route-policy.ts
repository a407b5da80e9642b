import { randomUUID } from 'node:crypto';
import { readFileSync } from 'node:fs';

import {
  extractServiceRouteSection,
  normaliseMarkdownTables,
  policyAllows,
  renderServiceRouteSection,
  ROLES,
  routeTable,
  routesWithoutPolicy,
  type Role,
  type RouteEntry,
} from '@bank-crm/auth';
import type { BaseConfig, ServiceDefinition } from '@bank-crm/service-runtime';
import type { INestApplicationContext, Type } from '@nestjs/common';

import { bearer } from './auth';

/**
 * Fails (throws) when any HTTP route of the application or module class declares neither
 * @Roles nor @Public. Returns the route table otherwise.
 */
export function assertEveryRouteHasAPolicy(
  app: INestApplicationContext | Type<unknown>,
): RouteEntry[] {
  const routes = routeTable(app);
  const missing = routesWithoutPolicy(routes);
  if (missing.length) {
    throw new Error(
      `routes without an access policy (add @Roles(...) or @Public()):\n${missing
        .map((r) => `  ${r.method} ${r.path} (${r.controller}.${r.handler})`)
        .join('\n')}`,
    );
  }
  if (routes.length === 0) throw new Error('no HTTP routes found: is this the right module?');
  return routes;
}

export interface MatrixResult {
  routes: number;
  requests: number;
  /** Calls the policy denies that did not answer 401/403. */
  unexpectedSuccesses: string[];
  /** Calls the policy allows that answered 401/403. */
  unexpectedDenials: string[];
}

function concretePath(path: string): string {
  return path.replace(/:[A-Za-z0-9_]+/g, () => randomUUID());
}

/**
 * Calls every route of a running service anonymously and with a token of each role, and compares
 * the answer with the route's declared policy: denied calls must answer 401 (anonymous) or 403,
 * allowed ones anything else. Bodies are empty, so allowed writes answer 400 and change nothing.
 */
export async function probeRoleMatrix(
  url: string,
  routes: RouteEntry[],
  { roles = [...ROLES] as Role[] }: { roles?: Role[] } = {},
): Promise<MatrixResult> {
  const result: MatrixResult = {
    routes: routes.length,
    requests: 0,
    unexpectedSuccesses: [],
    unexpectedDenials: [],
  };
  const callers: (Role | undefined)[] = [undefined, ...roles];
  for (const route of routes) {
    for (const role of callers) {
      const headers: Record<string, string> = {
        'content-type': 'application/json',
        ...(role ? await bearer(role, `matrix-${role}`) : {}),
      };
      const res = await fetch(`${url}${concretePath(route.path)}`, {
        method: route.method,
        headers,
        ...(['GET', 'HEAD'].includes(route.method) ? {} : { body: '{}' }),
      });
      await res.arrayBuffer();
      result.requests += 1;
      const who = role ?? 'anonymous';
      const allowed = policyAllows(route.policy, role ? [role] : undefined);
      const denied = res.status === 401 || res.status === 403;
      const expectedDenial = role ? 403 : 401;
      if (!allowed && res.status !== expectedDenial)
        result.unexpectedSuccesses.push(`${who} ${route.method} ${route.path} -> ${res.status}`);
      if (allowed && denied)
        result.unexpectedDenials.push(`${who} ${route.method} ${route.path} -> ${res.status}`);
    }
  }
  return result;
}

/**
 * Expects every route of a running service to declare a policy and to answer anonymous callers
 * and every role exactly as declared (probeRoleMatrix), one request per route and caller.
 */
export async function expectRoutesAnswerAsDeclared(
  app: INestApplicationContext,
  url: string,
): Promise<void> {
  const routes = assertEveryRouteHasAPolicy(app);
  const matrix = await probeRoleMatrix(url, routes);
  expect(matrix.unexpectedSuccesses).toEqual([]);
  expect(matrix.unexpectedDenials).toEqual([]);
  expect(matrix.requests).toBe(routes.length * (ROLES.length + 1));
}

/** Settings that let a service's configuration load without any infrastructure. */
export const OFFLINE_CONFIG_ENV: Record<string, string> = {
  DATABASE_URL: 'postgres://nobody@127.0.0.1:1/offline',
  KAFKA_BROKERS: '127.0.0.1:1',
  JWT_PUBLIC_KEY: 'not-read-when-nothing-starts',
};

/**
 * The route table of a service from its module metadata alone (nothing is started): for unit
 * tests and for generating docs/security.md.
 */
export function offlineRouteTable<C extends BaseConfig>(def: ServiceDefinition<C>): RouteEntry[] {
  return routeTable(def.appModule(def.loadConfig(OFFLINE_CONFIG_ENV)));
}

/**
 * The route-policy tests every service runs (call at a spec file's top level): every HTTP route
 * declares @Roles or @Public (deny by default), and docs/security.md documents the routes exactly
 * as they are (`npm run security:doc` regenerates it).
 */
export function describeRoutePolicy<C extends BaseConfig>(
  def: ServiceDefinition<C>,
  securityDocPath: string,
): void {
  describe(`${def.serviceName} route policy`, () => {
    const routes = offlineRouteTable(def);

    it('declares @Roles or @Public on every HTTP route (deny by default)', () => {
      expect(() =>
        assertEveryRouteHasAPolicy(def.appModule(def.loadConfig({ ...OFFLINE_CONFIG_ENV }))),
      ).not.toThrow();
      expect(routes.length).toBeGreaterThan(0);
    });

    it('is documented as it is: docs/security.md (npm run security:doc regenerates it)', () => {
      const documented = extractServiceRouteSection(
        readFileSync(securityDocPath, 'utf8'),
        def.serviceName,
      );
      expect(documented).toBeDefined();
      expect(normaliseMarkdownTables(documented ?? '')).toBe(
        normaliseMarkdownTables(renderServiceRouteSection(def.serviceName, routes)),
      );
    });
  });
}
