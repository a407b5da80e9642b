import type { ServiceDefinition } from '@bank-crm/service-runtime';

import { salesAppModule } from './app.module';
import { loadSalesConfig, type SalesConfig } from './config/sales.config';
import { SALES_ENTITIES } from './entities';
import { SALES_MIGRATIONS } from './migrations';

export const salesService: ServiceDefinition<SalesConfig> = {
  serviceName: 'sales',
  title: 'sales',
  description: 'Sales management: relationship managers, opportunities and customer needs.',
  loadConfig: (env) => loadSalesConfig(env),
  entities: SALES_ENTITIES,
  migrations: SALES_MIGRATIONS,
  appModule: salesAppModule,
};
