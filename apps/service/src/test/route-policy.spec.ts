import * as path from 'node:path';

import { describeRoutePolicy } from '@bank-crm/testing';

import { serviceService } from '../service-definition';

describeRoutePolicy(serviceService, path.resolve(__dirname, '../../../../docs/security.md'));
