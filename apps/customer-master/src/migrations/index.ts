import { CustomersAndSourceRecords1764300001000 } from './1764300001000-customers-and-source-records';
import { CustomerModel1764300002000 } from './1764300002000-customer-model';
import { CustomerView1764300003000 } from './1764300003000-customer-view';
import { IdentityResolution1764300004000 } from './1764300004000-identity-resolution';
import { CustomerDataScopeRls1764300005000 } from './1764300005000-customer-data-scope-rls';
import { StatusHistoryLatest1764300006000 } from './1764300006000-status-history-latest';

/** This service's migrations, oldest first (the messaging tables come from @bank-crm/messaging). */
export const CUSTOMER_MASTER_MIGRATIONS = [
  CustomersAndSourceRecords1764300001000,
  CustomerModel1764300002000,
  CustomerView1764300003000,
  IdentityResolution1764300004000,
  CustomerDataScopeRls1764300005000,
  StatusHistoryLatest1764300006000,
];
