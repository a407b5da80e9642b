import { CUSTOMER_DIRECTORY_ENTITIES } from '@bank-crm/customer-directory';

export const SALES_ENTITIES = [...CUSTOMER_DIRECTORY_ENTITIES];
