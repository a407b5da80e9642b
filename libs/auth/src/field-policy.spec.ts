import { ForbiddenException } from '@nestjs/common';

import { assertFieldsWritable, fieldsNotWritableBy, type FieldWritePolicy } from './field-policy';

const policy: FieldWritePolicy = {
  relationshipManagerId: ['admin', 'data-steward'],
  status: ['admin', 'data-steward', 'relationship-manager'],
};

describe('field write policy', () => {
  it('names the fields a role may not set, and only those present', () => {
    const rm = { id: 'rm-1', roles: ['relationship-manager' as const] };
    expect(
      fieldsNotWritableBy(
        rm,
        { displayName: 'x', status: 'active', relationshipManagerId: 'rm-2' },
        policy,
      ),
    ).toEqual(['relationshipManagerId']);
    expect(
      fieldsNotWritableBy(rm, { displayName: 'x', relationshipManagerId: undefined }, policy),
    ).toEqual([]);
  });

  it('refuses with 403 instead of silently dropping', () => {
    const marketing = { id: 'm', roles: ['marketing' as const] };
    expect(() => assertFieldsWritable(marketing, { status: 'lost' }, policy)).toThrow(
      ForbiddenException,
    );
    expect(() =>
      assertFieldsWritable(
        { id: 'a', roles: ['admin'] },
        { status: 'lost', relationshipManagerId: 'r' },
        policy,
      ),
    ).not.toThrow();
  });
});
