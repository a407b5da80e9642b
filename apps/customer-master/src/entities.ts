import { CustomerCategoryEntity } from './customers/customer-category.entity';
import { CustomerIdentifierEntity } from './customers/customer-identifier.entity';
import { CustomerEntity } from './customers/customer.entity';
import { CustomerGroupEntity } from './groups/customer-group.entity';
import { GroupMembershipEntity } from './groups/group-membership.entity';
import { CustomerRelationEntity } from './relations/customer-relation.entity';
import { RelationTypeEntity } from './relations/relation-type.entity';
import { SourceRecordEntity } from './source-records/source-record.entity';

export const CUSTOMER_MASTER_ENTITIES = [
  CustomerEntity,
  CustomerIdentifierEntity,
  CustomerCategoryEntity,
  RelationTypeEntity,
  CustomerRelationEntity,
  CustomerGroupEntity,
  GroupMembershipEntity,
  SourceRecordEntity,
];
