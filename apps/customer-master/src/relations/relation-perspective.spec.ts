import {
  canonicalDirection,
  relationFromSide,
  type RelationTypePair,
} from './relation-perspective';

const pair = (code: string, reverseCode: string): RelationTypePair => ({
  code,
  label: code.toUpperCase(),
  labelZh: null,
  reverseCode,
  reverseLabel: reverseCode.toUpperCase(),
  reverseLabelZh: null,
});

const A = 'aaaaaaaa-0000-4000-8000-000000000001';
const B = 'bbbbbbbb-0000-4000-8000-000000000002';

describe('relation perspective', () => {
  it('stores "A parent of B" and "B child of A" as the same row', () => {
    expect(canonicalDirection(pair('parent', 'child'), A, B)).toEqual({
      typeCode: 'child',
      fromCustomerId: B,
      toCustomerId: A,
    });
    expect(canonicalDirection(pair('child', 'parent'), B, A)).toEqual({
      typeCode: 'child',
      fromCustomerId: B,
      toCustomerId: A,
    });
  });

  it('keeps a symmetric type (spouse) as recorded', () => {
    expect(canonicalDirection(pair('spouse', 'spouse'), A, B)).toEqual({
      typeCode: 'spouse',
      fromCustomerId: A,
      toCustomerId: B,
    });
  });

  it('shows the right label from either side', () => {
    const stored = {
      id: 'r1',
      fromCustomerId: B,
      toCustomerId: A,
      validFrom: '2026-01-01',
      validTo: null,
    };
    const childType = pair('child', 'parent');
    const fromA = relationFromSide(stored, childType, A);
    expect(fromA.role.code).toBe('parent');
    expect(fromA.counterpartCustomerId).toBe(B);
    expect(fromA.counterpartRole.code).toBe('child');
    const fromB = relationFromSide(stored, childType, B);
    expect(fromB.role.code).toBe('child');
    expect(fromB.counterpartCustomerId).toBe(A);
    expect(fromB.counterpartRole.code).toBe('parent');
  });

  it('labels both sides of a symmetric relation the same', () => {
    const stored = {
      id: 'r2',
      fromCustomerId: A,
      toCustomerId: B,
      validFrom: '2026-01-01',
      validTo: null,
    };
    const spouse = pair('spouse', 'spouse');
    expect(relationFromSide(stored, spouse, A).role.code).toBe('spouse');
    expect(relationFromSide(stored, spouse, B).role.code).toBe('spouse');
  });

  it('refuses a customer that is not part of the relation', () => {
    const stored = {
      id: 'r3',
      fromCustomerId: A,
      toCustomerId: B,
      validFrom: '2026-01-01',
      validTo: null,
    };
    expect(() => relationFromSide(stored, pair('spouse', 'spouse'), 'x')).toThrow(/not part/);
  });
});
