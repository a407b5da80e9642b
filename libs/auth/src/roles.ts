/** The roles a bank-crm token can carry. What each may do is declared per route with @Roles. */
export const ROLES = [
  'admin',
  'relationship-manager',
  'marketing',
  'service-agent',
  'data-steward',
  'auditor',
] as const;

export type Role = (typeof ROLES)[number];

/** The authenticated caller, as the guard puts it on the request. */
export interface AuthUser {
  /** Subject of the token: the staff user id (for an RM, the id customers are assigned to). */
  id: string;
  roles: Role[];
  /** Token id, for audit. */
  tokenId?: string;
}
