import 'reflect-metadata';

import { runService } from '@bank-crm/service-runtime';

import { serviceService } from './service-definition';

void runService(serviceService);
