/** The bank-crm services: each owns the topics whose names start with its name. */
export const SERVICE_NAMES = [
  'customer-master',
  'account-bridge',
  'marketing',
  'sales',
  'service',
] as const;

export type ServiceName = (typeof SERVICE_NAMES)[number];
