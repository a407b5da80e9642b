import { Type, type Static } from '@sinclair/typebox';

import { IdTypeSchema, PartyTypeSchema } from '../../common-schemas';
import { defineEvent } from '../../event-definition';

const optionalText = (maxLength: number, description: string) =>
  Type.Optional(Type.Union([Type.String({ maxLength }), Type.Null()], { description }));

/**
 * SourcePartyRecord v1: one party (person or organisation) as a business system records it.
 * The inbound contract the bank's systems are built against: values arrive as recorded (dirty),
 * unknown extra fields are kept, and only a record without its key, party type or any name is rejected.
 */
export const SourcePartyRecordV1Schema = Type.Object(
  {
    sourceSystem: Type.String({
      pattern: '^[a-z0-9][a-z0-9-]{0,63}$',
      description: 'The business system that holds the record, e.g. core-banking, cards, loans.',
    }),
    sourceKey: Type.String({
      minLength: 1,
      maxLength: 128,
      description: 'The record key, unique within its source system.',
    }),
    partyType: PartyTypeSchema,
    name: optionalText(512, 'Full name as recorded, any script.'),
    givenName: optionalText(256, 'Given name as recorded.'),
    familyName: optionalText(256, 'Family name as recorded.'),
    nameLatin: optionalText(512, 'Romanised (pinyin) or English name.'),
    idType: Type.Optional(Type.Union([IdTypeSchema, Type.Null()])),
    idNumber: optionalText(
      64,
      'Identity number as recorded; may be dirty (spaces, full-width, 15-digit legacy form).',
    ),
    birthDate: optionalText(
      64,
      'Birth date (individuals) or registration date (organisations) as recorded; YYYY-MM-DD expected. An invalid value does not reject the record: it is kept raw, flagged and ignored for matching.',
    ),
    gender: optionalText(32, 'Gender as recorded.'),
    phone: optionalText(64, 'Phone number as recorded.'),
    email: optionalText(320, 'E-mail address as recorded.'),
    address: optionalText(1024, 'Address, free text.'),
    observedAt: Type.Optional(
      Type.String({
        format: 'date-time',
        description: 'When the source last changed this record. The newest observedAt wins.',
      }),
    ),
  },
  {
    additionalProperties: true,
    anyOf: [
      { required: ['name'], properties: { name: { type: 'string', minLength: 1 } } },
      { required: ['nameLatin'], properties: { nameLatin: { type: 'string', minLength: 1 } } },
      { required: ['givenName'], properties: { givenName: { type: 'string', minLength: 1 } } },
      { required: ['familyName'], properties: { familyName: { type: 'string', minLength: 1 } } },
    ],
    'x-error-message': {
      anyOf: 'at least one of name, nameLatin, givenName or familyName is required',
    },
    description: 'A party record from a bank business system (SourcePartyRecord v1).',
  },
);

export type SourcePartyRecordV1 = Static<typeof SourcePartyRecordV1Schema>;

export const SourcePartyRecordedV1 = defineEvent({
  owner: 'account-bridge',
  aggregate: 'source-party',
  event: 'recorded',
  version: 1,
  summary:
    'A business system created or changed a party record. Customer master resolves it to a golden customer.',
  key: '`<sourceSystem>:<sourceKey>` of the record',
  payload: SourcePartyRecordV1Schema,
  restricted: true,
  example: {
    sourceSystem: 'core-banking',
    sourceKey: 'CB-000123',
    partyType: 'individual',
    name: '张伟',
    nameLatin: 'Zhang Wei',
    idType: 'CN_RESIDENT_ID',
    idNumber: '11010519491231002X',
    birthDate: '1949-12-31',
    gender: 'F',
    phone: '+86 138 0013 8000',
    email: 'zhang.wei@example.com',
    address: '北京市朝阳区建国路88号3栋2单元1201室',
    observedAt: '2026-11-28T08:00:00.000Z',
  },
});
