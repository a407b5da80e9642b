import { CustomerDirectory1764300000100 } from './customer-directory.migration';
import { CustomerDirectoryEntryEntity } from './customer-directory-entry.entity';

export * from './customer-directory.module';
export * from './customer-directory-entry.entity';
export * from './customer-directory.migration';

export const CUSTOMER_DIRECTORY_ENTITIES = [CustomerDirectoryEntryEntity];
export const CUSTOMER_DIRECTORY_MIGRATIONS = [CustomerDirectory1764300000100];
