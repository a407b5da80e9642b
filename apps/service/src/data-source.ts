import 'reflect-metadata';

import { dataSourceOptions } from '@bank-crm/service-runtime';
import { DataSource } from 'typeorm';

import { serviceService } from './service-definition';

/** For the TypeORM CLI (`typeorm migration:generate|show`); services migrate via `main.js setup`. */
export default new DataSource(
  dataSourceOptions({
    serviceName: serviceService.serviceName,
    config: serviceService.loadConfig(),
    entities: serviceService.entities,
    migrations: serviceService.migrations,
  }),
);
