import { Type, type Static } from '@sinclair/typebox';

import { Timestamp, Uuid } from '../../common-schemas';
import { defineEvent } from '../../event-definition';
import { DateOnly, RelationSideSchema } from './customer-event-parts';

export const CustomerRelationAddedV1Schema = Type.Object(
  {
    relationId: Uuid('Id of the relation.'),
    fromCustomerId: Uuid('The customer on the "type" side: fromCustomer is <type> of toCustomer.'),
    toCustomerId: Uuid('The customer on the "reverseType" side.'),
    type: RelationSideSchema,
    reverseType: RelationSideSchema,
    validFrom: DateOnly('First day the relation holds'),
    validTo: Type.Union([DateOnly('First day it no longer holds'), Type.Null()], {
      description: 'First day the relation no longer holds (exclusive); null = open-ended.',
    }),
    addedAt: Timestamp('When it was recorded.'),
  },
  { description: 'A relation between two customers was recorded.' },
);

export type CustomerRelationAddedV1Payload = Static<typeof CustomerRelationAddedV1Schema>;

export const CustomerRelationAddedV1 = defineEvent({
  owner: 'customer-master',
  aggregate: 'customer-relation',
  event: 'added',
  version: 1,
  summary:
    'A relation between two customers (spouse, parent/child, guarantor, shareholder, legal representative, subsidiary ...) was recorded. Read from the to side, reverseType is the label.',
  key: 'relationId',
  payload: CustomerRelationAddedV1Schema,
  example: {
    relationId: '1e2d3c4b-5a69-4788-9a0b-1c2d3e4f5a6b',
    fromCustomerId: '0b9f6a52-8f9e-4f39-9a7d-7d4d3c1f2e10',
    toCustomerId: '3f1d2c4b-5a6e-4f70-8b9c-1d2e3f4a5b6c',
    type: { code: 'parent', label: 'Parent' },
    reverseType: { code: 'child', label: 'Child' },
    validFrom: '2026-01-01',
    validTo: null,
    addedAt: '2026-11-28T09:00:00.000Z',
  },
});
