import 'reflect-metadata';

import { dataSourceOptions } from '@bank-crm/service-runtime';
import { DataSource } from 'typeorm';

import { marketingService } from './service-definition';

/** For the TypeORM CLI (`typeorm migration:generate|show`); services migrate via `main.js setup`. */
export default new DataSource(
  dataSourceOptions({
    serviceName: marketingService.serviceName,
    config: marketingService.loadConfig(),
    entities: marketingService.entities,
    migrations: marketingService.migrations,
  }),
);
