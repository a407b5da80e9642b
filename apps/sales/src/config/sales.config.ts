import { baseConfigSchema, loadConfig } from '@bank-crm/service-runtime';
import type { Static } from '@sinclair/typebox';

export const SERVICE_NAME = 'sales';
export const DEFAULT_PORT = 3004;

export const salesConfigSchema = baseConfigSchema(SERVICE_NAME, DEFAULT_PORT);
export type SalesConfig = Static<typeof salesConfigSchema>;

export function loadSalesConfig(env: NodeJS.ProcessEnv = process.env): SalesConfig {
  return loadConfig(salesConfigSchema, env);
}
