import * as path from 'node:path';

import { describeRoutePolicy } from '@bank-crm/testing';

import { accountBridgeService } from '../service-definition';

describeRoutePolicy(accountBridgeService, path.resolve(__dirname, '../../../../docs/security.md'));
