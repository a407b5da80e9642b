import 'reflect-metadata';

import { runService } from '@bank-crm/service-runtime';

import { accountBridgeService } from './service-definition';

void runService(accountBridgeService);
