import * as path from 'node:path';

import { describeRoutePolicy } from '@bank-crm/testing';

import { salesService } from '../service-definition';

describeRoutePolicy(salesService, path.resolve(__dirname, '../../../../docs/security.md'));
