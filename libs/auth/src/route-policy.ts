import { PUBLIC_KEY, ROLES_KEY } from './decorators';
import type { Role } from './roles';

/** The access rule of one route: public, some roles, or none declared (which is denied). */
export type RoutePolicy =
  { kind: 'public' } | { kind: 'roles'; roles: Role[] } | { kind: 'undeclared' };

// eslint-disable-next-line @typescript-eslint/no-unsafe-function-type
type Target = Function | object;

function meta<T>(key: string, target: Target | undefined): T | undefined {
  return target === undefined ? undefined : (Reflect.getMetadata(key, target) as T | undefined);
}

/**
 * The rule of a route handler: a method's own @Roles/@Public overrides its controller's. When a
 * method (or class) carries both, @Roles wins: the stricter reading.
 */
export function routePolicy(
  // eslint-disable-next-line @typescript-eslint/no-unsafe-function-type
  handler: Function,
  // eslint-disable-next-line @typescript-eslint/no-unsafe-function-type
  controller: Function | undefined,
): RoutePolicy {
  for (const target of [handler, controller]) {
    const roles = meta<Role[]>(ROLES_KEY, target);
    if (Array.isArray(roles) && roles.length > 0) return { kind: 'roles', roles: [...roles] };
    if (meta<boolean>(PUBLIC_KEY, target) === true) return { kind: 'public' };
  }
  return { kind: 'undeclared' };
}
