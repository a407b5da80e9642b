import type { ServiceDefinition } from '@bank-crm/service-runtime';

import { accountBridgeAppModule } from './app.module';
import { loadAccountBridgeConfig, type AccountBridgeConfig } from './config/account-bridge.config';
import { ACCOUNT_BRIDGE_ENTITIES } from './entities';
import { ACCOUNT_BRIDGE_MIGRATIONS } from './migrations';

export const accountBridgeService: ServiceDefinition<AccountBridgeConfig> = {
  serviceName: 'account-bridge',
  title: 'account-bridge',
  description:
    'The bridge to the business systems: source party records and accounts in, resolved to customers.',
  loadConfig: (env) => loadAccountBridgeConfig(env),
  entities: ACCOUNT_BRIDGE_ENTITIES,
  migrations: ACCOUNT_BRIDGE_MIGRATIONS,
  appModule: accountBridgeAppModule,
};
