import { CUSTOMER_DIRECTORY_ENTITIES } from '@bank-crm/customer-directory';

export const MARKETING_ENTITIES = [...CUSTOMER_DIRECTORY_ENTITIES];
