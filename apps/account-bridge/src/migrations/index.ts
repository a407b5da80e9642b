import { CUSTOMER_DIRECTORY_MIGRATIONS } from '@bank-crm/customer-directory';

import { SourceParties1764300002000 } from './1764300002000-source-parties';
import { Accounts1764300012000 } from './1764300012000-accounts';
import { AccountsRls1764500000000 } from './1764500000000-accounts-rls';

/** This service's migrations, oldest first (the messaging tables come from @bank-crm/messaging). */
export const ACCOUNT_BRIDGE_MIGRATIONS = [
  ...CUSTOMER_DIRECTORY_MIGRATIONS,
  SourceParties1764300002000,
  Accounts1764300012000,
  AccountsRls1764500000000,
];
