import { Type, type Static } from '@sinclair/typebox';

import {
  CustomerStatusSchema,
  MaskedIdentifierSchema,
  PartyTypeSchema,
  Timestamp,
  Uuid,
} from '../../common-schemas';
import { defineEvent } from '../../event-definition';

export const CustomerCreatedV1Schema = Type.Object(
  {
    customerId: Uuid('Permanent customer id (never reused).'),
    partyType: PartyTypeSchema,
    category: Type.String({
      minLength: 1,
      description: 'Customer category code, e.g. personal, corporate.',
    }),
    status: CustomerStatusSchema,
    displayName: Type.String({ minLength: 1, description: 'Name shown to bank staff.' }),
    nameLatin: Type.Optional(Type.String({ description: 'Romanised or English name.' })),
    identifiers: Type.Array(MaskedIdentifierSchema, { description: 'Identifiers, masked.' }),
    relationshipManagerId: Type.Optional(
      Type.Union([Type.String(), Type.Null()], {
        description: 'Assigned relationship manager, if any.',
      }),
    ),
    createdAt: Timestamp('When the customer was created.'),
  },
  { description: 'A golden customer was created.' },
);

export type CustomerCreatedV1Payload = Static<typeof CustomerCreatedV1Schema>;

export const CustomerCreatedV1 = defineEvent({
  owner: 'customer-master',
  aggregate: 'customer',
  event: 'created',
  version: 1,
  summary:
    'A golden customer was created (a prospect entered by staff, or a new real customer found by identity resolution).',
  key: 'customerId',
  payload: CustomerCreatedV1Schema,
  example: {
    customerId: '0b9f6a52-8f9e-4f39-9a7d-7d4d3c1f2e10',
    partyType: 'individual',
    category: 'personal',
    status: 'potential',
    displayName: '张伟',
    nameLatin: 'Zhang Wei',
    identifiers: [{ type: 'CN_RESIDENT_ID', masked: '**************002X' }],
    relationshipManagerId: null,
    createdAt: '2026-11-28T08:00:00.000Z',
  },
});
