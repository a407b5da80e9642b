import { Type, type Static } from '@sinclair/typebox';

import { Timestamp, Uuid } from '../../common-schemas';
import { defineEvent } from '../../event-definition';

export const SourceRecordLinkedV1Schema = Type.Object(
  {
    sourceSystem: Type.String({
      pattern: '^[a-z0-9][a-z0-9-]{0,63}$',
      description: 'Business system of the source record (as in SourcePartyRecord v1).',
    }),
    sourceKey: Type.String({
      minLength: 1,
      maxLength: 128,
      description: 'Key of the source record in its system.',
    }),
    customerId: Uuid('The golden customer the source record now belongs to.'),
    previousCustomerId: Type.Optional(
      Uuid(
        'The customer it belonged to before (a correction, a merge or an unmerge); absent the first time.',
      ),
    ),
    linkedAt: Timestamp(
      'When customer-master linked them. Consumers keep the link with the newest linkedAt.',
    ),
  },
  { description: 'A source record was resolved (cross-referenced) to a golden customer.' },
);

export type SourceRecordLinkedV1Payload = Static<typeof SourceRecordLinkedV1Schema>;

export const SourceRecordLinkedV1 = defineEvent({
  owner: 'customer-master',
  aggregate: 'source-record',
  event: 'linked',
  version: 1,
  summary:
    'Identity resolution linked a source party record to a golden customer, or moved it to another one (previousCustomerId). account-bridge attaches the accounts the party holds to the customer. Keyed by `<sourceSystem>:<sourceKey>` so the links of one record stay in order; after an unmerge customer-master publishes one for every record that moves back.',
  key: '`<sourceSystem>:<sourceKey>` of the source record',
  payload: SourceRecordLinkedV1Schema,
  example: {
    sourceSystem: 'core-banking',
    sourceKey: 'CB-000123',
    customerId: '0b9f6a52-8f9e-4f39-9a7d-7d4d3c1f2e10',
    linkedAt: '2026-11-28T08:00:02.000Z',
  },
});
