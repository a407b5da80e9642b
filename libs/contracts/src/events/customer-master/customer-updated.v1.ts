import { Type, type Static } from '@sinclair/typebox';

import { MaskedIdentifierSchema, PartyTypeSchema, Timestamp, Uuid } from '../../common-schemas';
import { defineEvent } from '../../event-definition';
import { MaskedContactSchema } from './customer-event-parts';

export const CUSTOMER_UPDATABLE_FIELDS = [
  'category',
  'displayName',
  'nameLatin',
  'identifiers',
  'birthDate',
  'gender',
  'phones',
  'emails',
  'addresses',
  'segment',
  'valueTier',
] as const;

const nullableText = (description: string) =>
  Type.Optional(Type.Union([Type.String(), Type.Null()], { description }));

export const CustomerUpdatedV1Schema = Type.Object(
  {
    customerId: Uuid('Permanent customer id.'),
    partyType: PartyTypeSchema,
    changedFields: Type.Array(
      Type.Unsafe<(typeof CUSTOMER_UPDATABLE_FIELDS)[number]>({
        type: 'string',
        enum: [...CUSTOMER_UPDATABLE_FIELDS],
      }),
      {
        minItems: 1,
        uniqueItems: true,
        description:
          'Every field this change touched. birthDate and addresses are named here but their values are not published (read them through the API).',
      },
    ),
    changes: Type.Object(
      {
        category: Type.Optional(Type.String({ minLength: 1, description: 'New category code.' })),
        displayName: Type.Optional(Type.String({ minLength: 1, description: 'New display name.' })),
        nameLatin: nullableText('New romanised or English name; null = removed.'),
        identifiers: Type.Optional(
          Type.Array(MaskedIdentifierSchema, {
            description: 'The complete new identifier list, masked.',
          }),
        ),
        gender: nullableText('New gender code (M, F, U); null = removed.'),
        phones: Type.Optional(
          Type.Array(MaskedContactSchema, { description: 'The complete new phone list, masked.' }),
        ),
        emails: Type.Optional(
          Type.Array(MaskedContactSchema, {
            description: 'The complete new e-mail list, masked.',
          }),
        ),
        segment: nullableText('New segment code; null = removed.'),
        valueTier: nullableText('New value tier code; null = removed.'),
      },
      {
        additionalProperties: false,
        description:
          'New values of the changed fields that may be published (identifiers, phones and e-mails masked).',
      },
    ),
    updatedAt: Timestamp('When the change was committed.'),
  },
  { description: 'A golden customer changed; only the changed fields are listed.' },
);

export type CustomerUpdatedV1Payload = Static<typeof CustomerUpdatedV1Schema>;

export const CustomerUpdatedV1 = defineEvent({
  owner: 'customer-master',
  aggregate: 'customer',
  event: 'updated',
  version: 1,
  summary:
    'A golden customer was changed by staff or a data steward: the changed field names and their new (masked) values. subjectVersion is the customer version after the change.',
  key: 'customerId',
  payload: CustomerUpdatedV1Schema,
  example: {
    customerId: '0b9f6a52-8f9e-4f39-9a7d-7d4d3c1f2e10',
    partyType: 'individual',
    changedFields: ['phones', 'valueTier', 'birthDate'],
    changes: {
      phones: [{ type: 'mobile', masked: '*******8000' }],
      valueTier: 'gold',
    },
    updatedAt: '2026-11-28T09:00:00.000Z',
  },
});
