import 'reflect-metadata';

import { runService } from '@bank-crm/service-runtime';

import { salesService } from './service-definition';

void runService(salesService);
