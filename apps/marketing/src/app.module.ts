import { CustomerDirectoryModule } from '@bank-crm/customer-directory';
import { ServiceCoreModule } from '@bank-crm/service-runtime';
import { Module, type Type } from '@nestjs/common';

import type { MarketingConfig } from './config/marketing.config';
import { MARKETING_ENTITIES } from './entities';
import { MARKETING_MIGRATIONS } from './migrations';

/** The composition root of marketing. */
export function marketingAppModule(config: MarketingConfig): Type<unknown> {
  @Module({
    imports: [
      ServiceCoreModule.forRoot({
        serviceName: 'marketing',
        config,
        entities: MARKETING_ENTITIES,
        migrations: MARKETING_MIGRATIONS,
      }),
      CustomerDirectoryModule,
    ],
  })
  class AppModule {}
  return AppModule;
}
