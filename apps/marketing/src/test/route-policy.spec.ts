import * as path from 'node:path';

import { describeRoutePolicy } from '@bank-crm/testing';

import { marketingService } from '../service-definition';

describeRoutePolicy(marketingService, path.resolve(__dirname, '../../../../docs/security.md'));
