import 'reflect-metadata';

import { dataSourceOptions } from '@bank-crm/service-runtime';
import { DataSource } from 'typeorm';

import { salesService } from './service-definition';

/** For the TypeORM CLI (`typeorm migration:generate|show`); services migrate via `main.js setup`. */
export default new DataSource(
  dataSourceOptions({
    serviceName: salesService.serviceName,
    config: salesService.loadConfig(),
    entities: salesService.entities,
    migrations: salesService.migrations,
  }),
);
