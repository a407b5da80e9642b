import 'reflect-metadata';

import { dataSourceOptions } from '@bank-crm/service-runtime';
import { DataSource } from 'typeorm';

import { customerMasterService } from './service-definition';

/** For the TypeORM CLI (`typeorm migration:generate|show`); services migrate via `main.js setup`. */
export default new DataSource(
  dataSourceOptions({
    serviceName: customerMasterService.serviceName,
    config: customerMasterService.loadConfig(),
    entities: customerMasterService.entities,
    migrations: customerMasterService.migrations,
  }),
);
