import { baseConfigSchema, loadConfig } from '@bank-crm/service-runtime';
import type { Static } from '@sinclair/typebox';

export const SERVICE_NAME = 'account-bridge';
export const DEFAULT_PORT = 3002;

export const accountBridgeConfigSchema = baseConfigSchema(SERVICE_NAME, DEFAULT_PORT);
export type AccountBridgeConfig = Static<typeof accountBridgeConfigSchema>;

export function loadAccountBridgeConfig(env: NodeJS.ProcessEnv = process.env): AccountBridgeConfig {
  return loadConfig(accountBridgeConfigSchema, env);
}
