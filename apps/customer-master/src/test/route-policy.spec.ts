import * as path from 'node:path';

import { describeRoutePolicy } from '@bank-crm/testing';

import { customerMasterService } from '../service-definition';

describeRoutePolicy(customerMasterService, path.resolve(__dirname, '../../../../docs/security.md'));
