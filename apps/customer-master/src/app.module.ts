import { ServiceCoreModule } from '@bank-crm/service-runtime';
import { Module, type Type } from '@nestjs/common';

import type { CustomerMasterConfig } from './config/customer-master.config';
import { CustomerViewModule } from './customer-view/customer-view.module';
import { CustomersModule } from './customers/customers.module';
import { CUSTOMER_MASTER_ENTITIES } from './entities';
import { GroupsModule } from './groups/groups.module';
import { LifecycleModule } from './lifecycle/lifecycle.module';
import { MergesModule } from './merges/merges.module';
import { CUSTOMER_MASTER_MIGRATIONS } from './migrations';
import { RelationsModule } from './relations/relations.module';
import { ResolutionModule } from './resolution/resolution.module';
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
      CustomerViewModule,
      CustomersModule,
      LifecycleModule,
      RelationsModule,
      GroupsModule,
      MergesModule,
      SourceRecordsModule,
      ResolutionModule,
    ],
  })
  class AppModule {}
  return AppModule;
}
