import { dataScopeOf, type AuthUser } from '@bank-crm/auth';

/**
 * The portfolio a caller's list and read queries are limited to: a relationship manager with no
 * broader role sees only the customers assigned to them (relationship_manager_id = their user
 * id); undefined = every customer.
 */
export function rmScopeOf(user: AuthUser): string | undefined {
  const scope = dataScopeOf(user);
  return scope.kind === 'portfolio' ? scope.relationshipManagerId : undefined;
}
