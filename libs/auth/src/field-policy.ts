import { ForbiddenException } from '@nestjs/common';

import type { AuthUser, Role } from './roles';

/** Which roles may set each field of a request body; fields not listed are open to the route's roles. */
export type FieldWritePolicy = Record<string, readonly Role[]>;

/** The fields of `body` this caller may not set (present in the body, whatever their value). */
export function fieldsNotWritableBy(
  user: AuthUser,
  body: object,
  policy: FieldWritePolicy,
): string[] {
  return Object.keys(body)
    .filter((field) => (body as Record<string, unknown>)[field] !== undefined)
    .filter((field) => {
      const roles = policy[field];
      return roles !== undefined && !user.roles.some((r) => roles.includes(r));
    })
    .sort();
}

/**
 * Mass assignment, refused: a body that sets a field the caller's role may not set is a 403
 * naming those fields (never silently dropped). Unknown fields are already refused (400) by the
 * validation pipe.
 */
export function assertFieldsWritable(user: AuthUser, body: object, policy: FieldWritePolicy): void {
  const refused = fieldsNotWritableBy(user, body, policy);
  if (refused.length === 0) return;
  throw new ForbiddenException({
    error: 'Forbidden',
    message: `your role may not set: ${refused.join(', ')}`,
    errors: refused.map((field) => ({ field, message: 'not writable by your role' })),
  });
}
