import { CustomerDirectoryModule } from '@bank-crm/customer-directory';
import { ServiceCoreModule } from '@bank-crm/service-runtime';
import { Module, type Type } from '@nestjs/common';

import { AccountsModule } from './accounts/accounts.module';
import type { AccountBridgeConfig } from './config/account-bridge.config';
import { ACCOUNT_BRIDGE_ENTITIES } from './entities';
import { ImportsModule } from './imports/imports.module';
import { ACCOUNT_BRIDGE_MIGRATIONS } from './migrations';
import { SourcePartiesModule } from './source-parties/source-parties.module';

/** The composition root of account-bridge. */
export function accountBridgeAppModule(config: AccountBridgeConfig): Type<unknown> {
  @Module({
    imports: [
      ServiceCoreModule.forRoot({
        serviceName: 'account-bridge',
        config,
        entities: ACCOUNT_BRIDGE_ENTITIES,
        migrations: ACCOUNT_BRIDGE_MIGRATIONS,
      }),
      CustomerDirectoryModule,
      SourcePartiesModule,
      AccountsModule,
      ImportsModule,
    ],
  })
  class AppModule {}
  return AppModule;
}
