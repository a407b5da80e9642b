import 'reflect-metadata';

import { dataSourceOptions } from '@bank-crm/service-runtime';
import { DataSource } from 'typeorm';

import { accountBridgeService } from './service-definition';

/** For the TypeORM CLI (`typeorm migration:generate|show`); services migrate via `main.js setup`. */
export default new DataSource(
  dataSourceOptions({
    serviceName: accountBridgeService.serviceName,
    config: accountBridgeService.loadConfig(),
    entities: accountBridgeService.entities,
    migrations: accountBridgeService.migrations,
  }),
);
