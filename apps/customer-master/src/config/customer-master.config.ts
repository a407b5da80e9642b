import { baseConfigProperties, ConfigError, loadConfig } from '@bank-crm/service-runtime';
import { Type, type Static } from '@sinclair/typebox';

import {
  matchConfigFrom,
  resolutionConfigProperties,
  survivorshipConfigFrom,
} from '../resolution/resolution.config';

export const SERVICE_NAME = 'customer-master';
export const DEFAULT_PORT = 3001;

export const customerMasterConfigSchema = Type.Object({
  ...baseConfigProperties(SERVICE_NAME, DEFAULT_PORT),
  LIFECYCLE_DORMANT_AFTER_DAYS: Type.Integer({
    default: 180,
    minimum: 1,
    maximum: 3650,
    description:
      'A customer with open accounts but no account activity for this many days becomes dormant.',
  }),
  ...resolutionConfigProperties,
  LIFECYCLE_SWEEP_INTERVAL_MS: Type.Integer({
    default: 3_600_000,
    minimum: 0,
    maximum: 86_400_000,
    description: 'How often the dormancy sweep runs (0 = never; the on-event check still runs).',
  }),
});
export type CustomerMasterConfig = Static<typeof customerMasterConfigSchema>;

export function loadCustomerMasterConfig(
  env: NodeJS.ProcessEnv = process.env,
): CustomerMasterConfig {
  const config = loadConfig(customerMasterConfigSchema, env);
  try {
    matchConfigFrom(config);
    survivorshipConfigFrom(config);
  } catch (error) {
    throw new ConfigError([(error as Error).message]);
  }
  return config;
}
