import { CustomerDirectory1764300000100 } from './customer-directory.migration';
import { CustomerDirectoryRls1764300009100 } from './customer-directory-rls.migration';
import { CustomerDirectoryEntryEntity } from './customer-directory-entry.entity';

export * from './customer-directory.module';
export * from './customer-directory-entry.entity';
export * from './customer-directory.migration';
export * from './customer-directory-rls.migration';

export const CUSTOMER_DIRECTORY_ENTITIES = [CustomerDirectoryEntryEntity];
export const CUSTOMER_DIRECTORY_MIGRATIONS = [
  CustomerDirectory1764300000100,
  CustomerDirectoryRls1764300009100,
];
