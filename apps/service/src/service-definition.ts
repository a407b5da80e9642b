import type { ServiceDefinition } from '@bank-crm/service-runtime';

import { serviceAppModule } from './app.module';
import { loadServiceConfig, type ServiceConfig } from './config/service.config';
import { SERVICE_ENTITIES } from './entities';
import { SERVICE_MIGRATIONS } from './migrations';

export const serviceService: ServiceDefinition<ServiceConfig> = {
  serviceName: 'service',
  title: 'service',
  description: 'Customer service: service requests, activities and contacts.',
  loadConfig: (env) => loadServiceConfig(env),
  entities: SERVICE_ENTITIES,
  migrations: SERVICE_MIGRATIONS,
  appModule: serviceAppModule,
};
