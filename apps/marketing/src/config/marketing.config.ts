import { baseConfigSchema, loadConfig } from '@bank-crm/service-runtime';
import type { Static } from '@sinclair/typebox';

export const SERVICE_NAME = 'marketing';
export const DEFAULT_PORT = 3003;

export const marketingConfigSchema = baseConfigSchema(SERVICE_NAME, DEFAULT_PORT);
export type MarketingConfig = Static<typeof marketingConfigSchema>;

export function loadMarketingConfig(env: NodeJS.ProcessEnv = process.env): MarketingConfig {
  return loadConfig(marketingConfigSchema, env);
}
