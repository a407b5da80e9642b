import { CUSTOMER_DIRECTORY_ENTITIES } from '@bank-crm/customer-directory';

import { SourcePartyEntity } from './source-parties/source-party.entity';

export const ACCOUNT_BRIDGE_ENTITIES = [...CUSTOMER_DIRECTORY_ENTITIES, SourcePartyEntity];
