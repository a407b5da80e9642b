import { CustomerDirectoryModule } from '@bank-crm/customer-directory';
import { ServiceCoreModule } from '@bank-crm/service-runtime';
import { Module, type Type } from '@nestjs/common';

import type { ServiceConfig } from './config/service.config';
import { SERVICE_ENTITIES } from './entities';
import { SERVICE_MIGRATIONS } from './migrations';

/** The composition root of service. */
export function serviceAppModule(config: ServiceConfig): Type<unknown> {
  @Module({
    imports: [
      ServiceCoreModule.forRoot({
        serviceName: 'service',
        config,
        entities: SERVICE_ENTITIES,
        migrations: SERVICE_MIGRATIONS,
      }),
      CustomerDirectoryModule,
    ],
  })
  class AppModule {}
  return AppModule;
}
