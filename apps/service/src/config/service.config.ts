import { baseConfigSchema, loadConfig } from '@bank-crm/service-runtime';
import type { Static } from '@sinclair/typebox';

export const SERVICE_NAME = 'service';
export const DEFAULT_PORT = 3005;

export const serviceConfigSchema = baseConfigSchema(SERVICE_NAME, DEFAULT_PORT);
export type ServiceConfig = Static<typeof serviceConfigSchema>;

export function loadServiceConfig(env: NodeJS.ProcessEnv = process.env): ServiceConfig {
  return loadConfig(serviceConfigSchema, env);
}
