import 'reflect-metadata';

import { runService } from '@bank-crm/service-runtime';

import { customerMasterService } from './service-definition';

void runService(customerMasterService);
