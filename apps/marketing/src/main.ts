import 'reflect-metadata';

import { runService } from '@bank-crm/service-runtime';

import { marketingService } from './service-definition';

void runService(marketingService);
