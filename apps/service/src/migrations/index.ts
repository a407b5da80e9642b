import { CUSTOMER_DIRECTORY_MIGRATIONS } from '@bank-crm/customer-directory';

/** This service's migrations, oldest first (the messaging tables come from @bank-crm/messaging). */
export const SERVICE_MIGRATIONS = [...CUSTOMER_DIRECTORY_MIGRATIONS];
