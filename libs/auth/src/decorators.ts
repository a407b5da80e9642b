import { createParamDecorator, SetMetadata, type ExecutionContext } from '@nestjs/common';

import type { AuthUser, Role } from './roles';

export const ROLES_KEY = 'bank-crm:roles';
export const PUBLIC_KEY = 'bank-crm:public';

/**
 * The roles allowed to call a route (on a method, or on a controller for all its routes).
 * Deny by default: a route with neither @Roles nor @Public is refused.
 */
export const Roles = (...roles: [Role, ...Role[]]) => SetMetadata(ROLES_KEY, roles);

/** A route anyone may call without a token (health, metrics, API docs only). */
export const Public = () => SetMetadata(PUBLIC_KEY, true);

/** The authenticated caller. */
export const CurrentUser = createParamDecorator(
  (_data: unknown, ctx: ExecutionContext): AuthUser => {
    const req = ctx.switchToHttp().getRequest<{ user?: AuthUser }>();
    if (!req.user) throw new Error('CurrentUser used on a route without authentication');
    return req.user;
  },
);
