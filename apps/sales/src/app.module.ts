import { CustomerDirectoryModule } from '@bank-crm/customer-directory';
import { ServiceCoreModule } from '@bank-crm/service-runtime';
import { Module, type Type } from '@nestjs/common';

import type { SalesConfig } from './config/sales.config';
import { SALES_ENTITIES } from './entities';
import { SALES_MIGRATIONS } from './migrations';

/** The composition root of sales. */
export function salesAppModule(config: SalesConfig): Type<unknown> {
  @Module({
    imports: [
      ServiceCoreModule.forRoot({
        serviceName: 'sales',
        config,
        entities: SALES_ENTITIES,
        migrations: SALES_MIGRATIONS,
      }),
      CustomerDirectoryModule,
    ],
  })
  class AppModule {}
  return AppModule;
}
