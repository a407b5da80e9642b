import { ServiceCoreModule } from '@bank-crm/service-runtime';
import { Module, type Type } from '@nestjs/common';

import type { CustomerMasterConfig } from './config/customer-master.config';
import { CustomersModule } from './customers/customers.module';
import { CUSTOMER_MASTER_ENTITIES } from './entities';
import { CUSTOMER_MASTER_MIGRATIONS } from './migrations';
import { SourceRecordsModule } from './source-records/source-records.module';

/** The composition root of customer-master. */
export function customerMasterAppModule(config: CustomerMasterConfig): Type<unknown> {
  @Module({
    imports: [
      ServiceCoreModule.forRoot({
        serviceName: 'customer-master',
        config,
        entities: CUSTOMER_MASTER_ENTITIES,
        migrations: CUSTOMER_MASTER_MIGRATIONS,
      }),
      CustomersModule,
      SourceRecordsModule,
    ],
  })
  class AppModule {}
  return AppModule;
}
