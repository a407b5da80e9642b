import { describeDirectoryService } from '@bank-crm/testing';

import { accountBridgeService } from '../service-definition';

describeDirectoryService(accountBridgeService);
