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

/** Every staff role: for routes any authenticated member of staff may call. */
export const ALL_ROLES: [Role, ...Role[]] = [...ROLES];

export function isRole(value: unknown): value is Role {
  return typeof value === 'string' && (ROLES as readonly string[]).includes(value);
}

/** What each role is for (docs/security.md is generated from this and the route table). */
export const ROLE_DESCRIPTIONS: Record<Role, string> = {
  admin: 'Operates the platform: every route, every customer; no data scope.',
  'relationship-manager':
    'Serves the customers of their own portfolio only (customers whose relationshipManagerId is the token subject), and their accounts, opportunities and requests; another portfolio answers 404.',
  marketing: 'Campaigns and segments: reads customers (masked identifiers), no changes to them.',
  'service-agent': 'Service requests and contacts for any customer who calls in; reads customers.',
  'data-steward':
    'Data quality: ingests and corrects source records, resolves identities; full identifiers where a route says so (audited).',
  auditor: 'Reads the audit trail and, read-only, what it refers to; changes nothing.',
};

/** The authenticated caller, as the guard puts it on the request. */
export interface AuthUser {
  /** Subject of the token: the staff user id (for an RM, the id customers are assigned to). */
  id: string;
  roles: Role[];
  /** Token id, for audit. */
  tokenId?: string;
}
