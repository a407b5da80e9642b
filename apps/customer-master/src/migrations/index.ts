import { CustomersAndSourceRecords1764300001000 } from './1764300001000-customers-and-source-records';

/** This service's migrations, oldest first (the messaging tables come from @bank-crm/messaging). */
export const CUSTOMER_MASTER_MIGRATIONS = [CustomersAndSourceRecords1764300001000];
