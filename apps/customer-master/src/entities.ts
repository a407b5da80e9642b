import { CustomerIdentifierEntity } from './customers/customer-identifier.entity';
import { CustomerEntity } from './customers/customer.entity';
import { SourceRecordEntity } from './source-records/source-record.entity';

export const CUSTOMER_MASTER_ENTITIES = [
  CustomerEntity,
  CustomerIdentifierEntity,
  SourceRecordEntity,
];
