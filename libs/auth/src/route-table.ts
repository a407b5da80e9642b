import { RequestMethod, type DynamicModule, type Type } from '@nestjs/common';
import { METHOD_METADATA, MODULE_METADATA, PATH_METADATA } from '@nestjs/common/constants';
import type { INestApplicationContext } from '@nestjs/common';
import { ModulesContainer } from '@nestjs/core';

import { ROLES, type Role } from './roles';
import { routePolicy, type RoutePolicy } from './route-policy';

/** One HTTP route of a service and its access rule. */
/** A controller class (Nest's own metadata API types them as Function). */
// eslint-disable-next-line @typescript-eslint/no-unsafe-function-type
type Fn = Function;

export interface RouteEntry {
  method: string;
  path: string;
  controller: string;
  handler: string;
  policy: RoutePolicy;
}

function joinPath(...parts: (string | string[] | undefined)[]): string {
  const segments = parts
    .map((p) => (Array.isArray(p) ? p[0] : p) ?? '')
    .flatMap((p) => p.split('/'))
    .filter(Boolean);
  return `/${segments.join('/')}`;
}

/** The HTTP routes a controller class declares (Kafka @EventPattern handlers are not routes). */
export function routesOfController(controller: Fn): RouteEntry[] {
  const base = Reflect.getMetadata(PATH_METADATA, controller) as string | string[] | undefined;
  const proto = controller.prototype as Record<string, unknown>;
  const entries: RouteEntry[] = [];
  const seen = new Set<string>();
  for (let p: object | null = proto; p && p !== Object.prototype; p = Object.getPrototypeOf(p)) {
    for (const name of Object.getOwnPropertyNames(p)) {
      if (name === 'constructor' || seen.has(name)) continue;
      seen.add(name);
      const handler = proto[name];
      if (typeof handler !== 'function') continue;
      const path = Reflect.getMetadata(PATH_METADATA, handler) as string | string[] | undefined;
      const method = Reflect.getMetadata(METHOD_METADATA, handler) as RequestMethod | undefined;
      if (path === undefined || method === undefined) continue;
      entries.push({
        method: RequestMethod[method] ?? String(method),
        path: joinPath(base, path),
        controller: controller.name,
        handler: name,
        policy: routePolicy(handler, controller),
      });
    }
  }
  return entries;
}

type ModuleRef = Type<unknown> | DynamicModule | Promise<DynamicModule> | { forwardRef: unknown };

/**
 * Every controller reachable from a module class, found by reading the @Module metadata (and
 * dynamic modules) without instantiating anything: no database, no broker.
 */
export function controllersOfModule(root: Type<unknown>): Fn[] {
  const controllers = new Set<Fn>();
  const visited = new Set<unknown>();
  const visit = (ref: ModuleRef | undefined): void => {
    if (!ref || visited.has(ref) || ref instanceof Promise || 'forwardRef' in ref) return;
    visited.add(ref);
    const dynamic = (ref as DynamicModule).module ? (ref as DynamicModule) : undefined;
    const cls = (dynamic ? dynamic.module : ref) as Type<unknown>;
    const own = (name: string) => (Reflect.getMetadata(name, cls) as unknown[] | undefined) ?? [];
    for (const c of [...own(MODULE_METADATA.CONTROLLERS), ...(dynamic?.controllers ?? [])] as Fn[])
      controllers.add(c);
    for (const m of [...own(MODULE_METADATA.IMPORTS), ...(dynamic?.imports ?? [])] as ModuleRef[])
      visit(m);
  };
  visit(root);
  return [...controllers];
}

function sortRoutes(routes: RouteEntry[]): RouteEntry[] {
  return routes.sort((a, b) =>
    a.path === b.path ? a.method.localeCompare(b.method) : a.path.localeCompare(b.path),
  );
}

/** The route table of a module class (static) or of a created application (what Nest registered). */
export function routeTable(source: Type<unknown> | INestApplicationContext): RouteEntry[] {
  if (typeof source === 'function')
    return sortRoutes(controllersOfModule(source).flatMap(routesOfController));
  const modules = source.get(ModulesContainer, { strict: false });
  const controllers = new Set<Fn>();
  for (const mod of modules.values()) {
    for (const wrapper of mod.controllers.values()) {
      if (wrapper.metatype) controllers.add(wrapper.metatype as Fn);
    }
  }
  return sortRoutes([...controllers].flatMap(routesOfController));
}

/** Routes that declare neither @Roles nor @Public (each is refused at run time). */
export function routesWithoutPolicy(routes: RouteEntry[]): RouteEntry[] {
  return routes.filter((r) => r.policy.kind === 'undeclared');
}

/** Whether a route lets a caller with these roles through (undefined roles: anonymous). */
export function policyAllows(policy: RoutePolicy, roles: Role[] | undefined): boolean {
  if (policy.kind === 'public') return true;
  if (policy.kind === 'undeclared' || !roles) return false;
  return roles.some((r) => policy.roles.includes(r));
}

/** The role x endpoint table of one service, as Markdown (docs/security.md is made of these). */
export function renderRoleMatrix(routes: RouteEntry[]): string {
  const head = `| method | path | ${ROLES.join(' | ')} |`;
  const rule = `| --- | --- | ${ROLES.map(() => ':---:').join(' | ')} |`;
  const rows = routes.map((r) => {
    const cells = ROLES.map((role) =>
      r.policy.kind === 'public' ? 'public' : policyAllows(r.policy, [role]) ? 'yes' : 'no',
    );
    return `| ${r.method} | \`${r.path}\` | ${cells.join(' | ')} |`;
  });
  return [head, rule, ...rows].join('\n');
}

export const ROUTE_TABLE_START = (service: string) => `<!-- route-table:${service}:start -->`;
export const ROUTE_TABLE_END = (service: string) => `<!-- route-table:${service}:end -->`;

/** One service's generated block of docs/security.md (between its markers). */
export function renderServiceRouteSection(service: string, routes: RouteEntry[]): string {
  return [
    ROUTE_TABLE_START(service),
    '',
    renderRoleMatrix(routes),
    '',
    ROUTE_TABLE_END(service),
  ].join('\n');
}

/** The block of a service as it stands in a document, or undefined when it has none. */
export function extractServiceRouteSection(doc: string, service: string): string | undefined {
  const start = doc.indexOf(ROUTE_TABLE_START(service));
  const end = doc.indexOf(ROUTE_TABLE_END(service));
  if (start < 0 || end < start) return undefined;
  return doc.slice(start, end + ROUTE_TABLE_END(service).length);
}

/**
 * A Markdown block with table rows reduced to their trimmed cells (alignment rows to `---`), so a
 * generated table and the same table as prettier padded it compare equal.
 */
export function normaliseMarkdownTables(block: string): string {
  return block
    .split('\n')
    .map((line) => line.trim())
    .filter(Boolean)
    .map((line) =>
      line.startsWith('|')
        ? line
            .split('|')
            .slice(1, -1)
            .map((cell) => (/^\s*:?-{3,}:?\s*$/.test(cell) ? '---' : cell.trim()))
            .join('|')
        : line,
    )
    .join('\n');
}
