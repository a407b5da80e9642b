import { baseConfigSchema, loadConfig } from '@bank-crm/service-runtime';
import type { Static } from '@sinclair/typebox';

export const SERVICE_NAME = 'customer-master';
export const DEFAULT_PORT = 3001;

export const customerMasterConfigSchema = baseConfigSchema(SERVICE_NAME, DEFAULT_PORT);
export type CustomerMasterConfig = Static<typeof customerMasterConfigSchema>;

export function loadCustomerMasterConfig(
  env: NodeJS.ProcessEnv = process.env,
): CustomerMasterConfig {
  return loadConfig(customerMasterConfigSchema, env);
}
