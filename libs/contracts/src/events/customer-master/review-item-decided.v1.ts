import { Type, type Static } from '@sinclair/typebox';

import { Timestamp, Uuid } from '../../common-schemas';
import { defineEvent } from '../../event-definition';

export const ReviewItemDecidedV1Schema = Type.Object(
  {
    reviewItemId: Uuid('The review item decided.'),
    decision: Type.Union(
      [Type.Literal('linked'), Type.Literal('rejected'), Type.Literal('superseded')],
      {
        description:
          'linked: the steward confirmed one customer (the customers were merged, see customer.merged); rejected: not the same, the pair is never linked automatically again; superseded: the records ended up in one customer anyway (a later record bridged them) or one of them was re-resolved.',
      },
    ),
    survivorId: Type.Optional(Uuid('The customer both records belong to now (linked).')),
    note: Type.Optional(Type.String({ maxLength: 500, description: "The steward's note." })),
    decidedAt: Timestamp('When it was decided.'),
    actorUserId: Type.Optional(
      Type.String({ minLength: 1, description: 'Who decided, if a user.' }),
    ),
  },
  { description: 'A review item was decided.' },
);

export type ReviewItemDecidedV1Payload = Static<typeof ReviewItemDecidedV1Schema>;

export const ReviewItemDecidedV1 = defineEvent({
  owner: 'customer-master',
  aggregate: 'review-item',
  event: 'decided',
  version: 1,
  summary:
    'A data steward confirmed or rejected a review item (or resolution made it moot). Keyed by the review item id.',
  key: 'reviewItemId',
  payload: ReviewItemDecidedV1Schema,
  example: {
    reviewItemId: '5d2c1b0a-9e8f-4a7b-8c6d-5e4f3a2b1c0d',
    decision: 'rejected',
    note: 'twins: same birth date and address',
    decidedAt: '2026-11-29T09:30:00.000Z',
    actorUserId: 'steward-7',
  },
});
