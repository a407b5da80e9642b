import { dataScopeOf, type AuthUser, type DataScope } from '@bank-crm/auth';
import type { EntityManager } from 'typeorm';

import { CustomerNotFoundException } from '../customers/customer.exception';
import { FieldErrorException } from './field-error.exception';

/**
 * The portfolio a caller's list and read queries are limited to: a relationship manager with no
 * broader role sees only the customers assigned to them (relationship_manager_id = their user
 * id); undefined = every customer.
 */
export function rmScopeOf(user: AuthUser): string | undefined {
  const scope = dataScopeOf(user);
  return scope.kind === 'portfolio' ? scope.relationshipManagerId : undefined;
}

/** The relationship manager a portfolio scope is limited to; undefined = every customer. */
export function portfolioOf(scope: DataScope): string | undefined {
  return scope.kind === 'portfolio' ? scope.relationshipManagerId : undefined;
}

/** True when the scope lets the caller see this customer (the explicit portfolio check). */
export async function isInScope(
  manager: EntityManager,
  scope: DataScope,
  customerId: string,
): Promise<boolean> {
  const rm = portfolioOf(scope);
  if (rm === undefined) return true;
  const rows = (await manager.query(
    'SELECT 1 FROM customer WHERE id = $1 AND relationship_manager_id = $2',
    [customerId, rm],
  )) as unknown[];
  return rows.length > 0;
}

/**
 * The explicit portfolio check (row-level security checks the same again): a customer outside a
 * relationship manager's portfolio answers 404 as if it did not exist (a customer named in a
 * request body, `field`, the 400 of an unknown customer). `requestedId` is the id the caller
 * named; `customerId` the customer to check (a survivor, say).
 */
export async function requireInScope(
  manager: EntityManager,
  scope: DataScope,
  customerId: string,
  requestedId: string = customerId,
  field?: string,
): Promise<void> {
  if (await isInScope(manager, scope, customerId)) return;
  if (field) throw new FieldErrorException([{ field, message: `no customer ${requestedId}` }]);
  throw new CustomerNotFoundException(requestedId);
}
