import { Type, type Static } from '@sinclair/typebox';

import { Timestamp, Uuid } from '../../common-schemas';
import { defineEvent } from '../../event-definition';
import { PairScoreSchema, SourceRecordRefSchema } from './review-item-parts';

export const ReviewItemOpenedV1Schema = Type.Object(
  {
    reviewItemId: Uuid('Id of the review item.'),
    kind: Type.Union([Type.Literal('possible-match'), Type.Literal('record-changed')], {
      description:
        'possible-match: the pair scored in the review band, or in the auto-link band but a conflict (different valid identifiers, a strongly negative pair) kept it apart; record-changed: an updated source record no longer matches the customer it belongs to.',
    }),
    record: SourceRecordRefSchema,
    recordCustomerId: Uuid('The customer the record belongs to.'),
    candidate: SourceRecordRefSchema,
    candidateCustomerId: Uuid('The customer the candidate record belongs to.'),
    score: PairScoreSchema,
    blockedBy: Type.Optional(
      Type.String({ maxLength: 200, description: 'Why an auto-link band pair was not linked.' }),
    ),
    openedAt: Timestamp('When the item was opened.'),
  },
  { description: 'Identity resolution asks a data steward whether two records are one customer.' },
);

export type ReviewItemOpenedV1Payload = Static<typeof ReviewItemOpenedV1Schema>;

export const ReviewItemOpenedV1 = defineEvent({
  owner: 'customer-master',
  aggregate: 'review-item',
  event: 'opened',
  version: 1,
  summary:
    'Identity resolution found two records that may be one customer but is not sure enough to link them; a data steward decides (review-item.decided). Carries the per-field explanation, never the compared values. Keyed by the review item id.',
  key: 'reviewItemId',
  payload: ReviewItemOpenedV1Schema,
  example: {
    reviewItemId: '5d2c1b0a-9e8f-4a7b-8c6d-5e4f3a2b1c0d',
    kind: 'possible-match',
    record: { sourceSystem: 'cards', sourceKey: 'CARD-88812' },
    recordCustomerId: '3f1d2c4b-5a6e-4f70-8b9c-1d2e3f4a5b6c',
    candidate: { sourceSystem: 'core-banking', sourceKey: 'CB-000123' },
    candidateCustomerId: '0b9f6a52-8f9e-4f39-9a7d-7d4d3c1f2e10',
    score: {
      total: 18.4,
      band: 'review',
      fields: [
        { field: 'id', level: null, weight: 0 },
        { field: 'name', level: 'exact', weight: 13.1 },
        { field: 'birthDate', level: 'exact', weight: 14.18 },
        { field: 'phone', level: 'different', weight: -1.5 },
      ],
    },
    openedAt: '2026-11-28T08:00:03.000Z',
  },
});
