import type { ServiceDefinition } from '@bank-crm/service-runtime';

import { customerMasterAppModule } from './app.module';
import {
  loadCustomerMasterConfig,
  type CustomerMasterConfig,
} from './config/customer-master.config';
import { CUSTOMER_MASTER_ENTITIES } from './entities';
import { CUSTOMER_MASTER_MIGRATIONS } from './migrations';

export const customerMasterService: ServiceDefinition<CustomerMasterConfig> = {
  serviceName: 'customer-master',
  title: 'customer-master',
  description:
    'Golden customer records: customers, identifiers, the source records they are built from, and the unified customer view.',
  loadConfig: (env) => loadCustomerMasterConfig(env),
  entities: CUSTOMER_MASTER_ENTITIES,
  migrations: CUSTOMER_MASTER_MIGRATIONS,
  appModule: customerMasterAppModule,
};
