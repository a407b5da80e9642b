import type { Role } from '@bank-crm/auth';

/** Who may do what on customer-master's routes (passed to @Roles). */
export const READ_ROLES: [Role, ...Role[]] = [
  'admin',
  'relationship-manager',
  'service-agent',
  'marketing',
  'data-steward',
];
export const WRITE_ROLES: [Role, ...Role[]] = ['admin', 'relationship-manager', 'data-steward'];
export const STEWARD_ROLES: [Role, ...Role[]] = ['admin', 'data-steward'];
