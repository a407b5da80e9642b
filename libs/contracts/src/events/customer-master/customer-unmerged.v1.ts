import { Type, type Static } from '@sinclair/typebox';

import { MaskedIdentifierSchema, Timestamp, Uuid } from '../../common-schemas';
import { defineEvent } from '../../event-definition';

export const CustomerUnmergedV1Schema = Type.Object(
  {
    mergeId: Uuid('The merge being undone.'),
    survivorId: Uuid('The customer the restored one had been merged into.'),
    restoredId: Uuid('The absorbed customer that exists on its own again (no longer redirects).'),
    cause: Type.String({ minLength: 1, maxLength: 500, description: 'Why the merge was undone.' }),
    survivorIdentifiers: Type.Array(MaskedIdentifierSchema, {
      description: "The survivor's identifiers after the unmerge, masked.",
    }),
    restoredIdentifiers: Type.Array(MaskedIdentifierSchema, {
      description: "The restored customer's identifiers, masked.",
    }),
    returnedRelationIds: Type.Array(Uuid('A relation given back to the restored customer.')),
    returnedMembershipIds: Type.Array(Uuid('A membership given back to the restored customer.')),
    unmergedAt: Timestamp('When the unmerge committed.'),
    actorUserId: Type.Optional(Type.String({ minLength: 1, description: 'Who unmerged.' })),
  },
  { description: 'A merge was undone for one absorbed customer.' },
);

export type CustomerUnmergedV1Payload = Static<typeof CustomerUnmergedV1Schema>;

export const CustomerUnmergedV1 = defineEvent({
  owner: 'customer-master',
  aggregate: 'customer',
  event: 'unmerged',
  version: 1,
  summary:
    'A wrong merge was undone: the restored customer exists on its own again with the identifiers, relations and memberships it brought in. Keyed by the survivor.',
  key: 'survivorId',
  payload: CustomerUnmergedV1Schema,
  example: {
    mergeId: '8c1e3a4b-2d5f-4e6a-9b7c-0d1e2f3a4b5c',
    survivorId: '0b9f6a52-8f9e-4f39-9a7d-7d4d3c1f2e10',
    restoredId: '3f1d2c4b-5a6e-4f70-8b9c-1d2e3f4a5b6c',
    cause: 'twins: same birth date and address, different people',
    survivorIdentifiers: [{ type: 'CN_RESIDENT_ID', masked: '**************002X' }],
    restoredIdentifiers: [{ type: 'CN_RESIDENT_ID', masked: '**************0037' }],
    returnedRelationIds: [],
    returnedMembershipIds: ['7a6b5c4d-3e2f-4a1b-8c9d-0e1f2a3b4c5d'],
    unmergedAt: '2026-11-29T10:00:00.000Z',
  },
});
