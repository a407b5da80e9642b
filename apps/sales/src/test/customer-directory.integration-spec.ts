import { describeDirectoryService } from '@bank-crm/testing';

import { salesService } from '../service-definition';

describeDirectoryService(salesService);
