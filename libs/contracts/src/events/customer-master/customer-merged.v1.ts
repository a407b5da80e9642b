import { Type, type Static } from '@sinclair/typebox';

import { MaskedIdentifierSchema, Timestamp, Uuid } from '../../common-schemas';
import { defineEvent } from '../../event-definition';

export const CustomerMergedV1Schema = Type.Object(
  {
    mergeId: Uuid('Id of this merge (an unmerge names it).'),
    survivorId: Uuid('The customer that remains; absorbed ids redirect to it.'),
    absorbedIds: Type.Array(Uuid('An absorbed customer id.'), {
      minItems: 1,
      uniqueItems: true,
      description:
        'Customers absorbed into the survivor. Their ids are never reused: they redirect to the survivor from now on.',
    }),
    cause: Type.String({
      minLength: 1,
      maxLength: 500,
      description: 'Why they were merged, e.g. identity-resolution match or a data steward note.',
    }),
    survivorIdentifiers: Type.Array(MaskedIdentifierSchema, {
      description: "The survivor's identifiers after the merge, masked.",
    }),
    movedRelationIds: Type.Array(Uuid('A relation moved to the survivor.'), {
      description: 'Relations of the absorbed customers now attached to the survivor.',
    }),
    movedMembershipIds: Type.Array(Uuid('A group membership moved to the survivor.'), {
      description: 'Group memberships of the absorbed customers now attached to the survivor.',
    }),
    mergedAt: Timestamp('When the merge committed.'),
    actorUserId: Type.Optional(
      Type.String({ minLength: 1, description: 'Who merged, if a user.' }),
    ),
  },
  { description: 'Customers were merged into a survivor.' },
);

export type CustomerMergedV1Payload = Static<typeof CustomerMergedV1Schema>;

export const CustomerMergedV1 = defineEvent({
  owner: 'customer-master',
  aggregate: 'customer',
  event: 'merged',
  version: 1,
  summary:
    'Customers found to be the same real customer were merged: absorbed ids now redirect to the survivor. Keyed by the survivor; subjectVersion is its version after the merge.',
  key: 'survivorId',
  payload: CustomerMergedV1Schema,
  example: {
    mergeId: '8c1e3a4b-2d5f-4e6a-9b7c-0d1e2f3a4b5c',
    survivorId: '0b9f6a52-8f9e-4f39-9a7d-7d4d3c1f2e10',
    absorbedIds: ['3f1d2c4b-5a6e-4f70-8b9c-1d2e3f4a5b6c'],
    cause: 'identity-resolution: same resident id and birth date',
    survivorIdentifiers: [{ type: 'CN_RESIDENT_ID', masked: '**************002X' }],
    movedRelationIds: [],
    movedMembershipIds: ['7a6b5c4d-3e2f-4a1b-8c9d-0e1f2a3b4c5d'],
    mergedAt: '2026-11-28T10:00:00.000Z',
  },
});
