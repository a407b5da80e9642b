import { Type, type Static } from '@sinclair/typebox';

import { Timestamp, Uuid } from '../../common-schemas';
import { defineEvent } from '../../event-definition';
import { DateOnly } from './customer-event-parts';

export const CustomerRelationEndedV1Schema = Type.Object(
  {
    relationId: Uuid('Id of the relation.'),
    fromCustomerId: Uuid('The customer on the "type" side.'),
    toCustomerId: Uuid('The customer on the "reverseType" side.'),
    typeCode: Type.String({ minLength: 1, maxLength: 64, description: 'Relation type code.' }),
    validTo: DateOnly('First day the relation no longer holds (exclusive)'),
    endedAt: Timestamp('When the end was recorded.'),
  },
  { description: 'A relation between two customers ended.' },
);

export type CustomerRelationEndedV1Payload = Static<typeof CustomerRelationEndedV1Schema>;

export const CustomerRelationEndedV1 = defineEvent({
  owner: 'customer-master',
  aggregate: 'customer-relation',
  event: 'ended',
  version: 1,
  summary: 'A relation between two customers was given an end date (valid-to, exclusive).',
  key: 'relationId',
  payload: CustomerRelationEndedV1Schema,
  example: {
    relationId: '1e2d3c4b-5a69-4788-9a0b-1c2d3e4f5a6b',
    fromCustomerId: '0b9f6a52-8f9e-4f39-9a7d-7d4d3c1f2e10',
    toCustomerId: '3f1d2c4b-5a6e-4f70-8b9c-1d2e3f4a5b6c',
    typeCode: 'parent',
    validTo: '2026-12-01',
    endedAt: '2026-11-30T09:00:00.000Z',
  },
});
