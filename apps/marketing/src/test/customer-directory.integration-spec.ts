import { describeDirectoryService } from '@bank-crm/testing';

import { marketingService } from '../service-definition';

describeDirectoryService(marketingService);
