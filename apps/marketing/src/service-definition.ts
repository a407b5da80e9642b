import type { ServiceDefinition } from '@bank-crm/service-runtime';

import { marketingAppModule } from './app.module';
import { loadMarketingConfig, type MarketingConfig } from './config/marketing.config';
import { MARKETING_ENTITIES } from './entities';
import { MARKETING_MIGRATIONS } from './migrations';

export const marketingService: ServiceDefinition<MarketingConfig> = {
  serviceName: 'marketing',
  title: 'marketing',
  description: 'Marketing: campaigns and segments over the unified customer view.',
  loadConfig: (env) => loadMarketingConfig(env),
  entities: MARKETING_ENTITIES,
  migrations: MARKETING_MIGRATIONS,
  appModule: marketingAppModule,
};
