import { describeDirectoryService } from '@bank-crm/testing';

import { serviceService } from '../service-definition';

describeDirectoryService(serviceService);
