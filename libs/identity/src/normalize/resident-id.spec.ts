import { normalizeResidentId, residentIdCheckChar } from './resident-id';

/** Independent derivation (ISO 7064 MOD 11-2): weight of position i is 2^(17-i) mod 11. */
function iso7064(first17: string): string {
  let sum = 0;
  for (let i = 0; i < 17; i++) sum += Number(first17[i]) * (2 ** (17 - i) % 11);
  const c = (12 - (sum % 11)) % 11;
  return c === 10 ? 'X' : String(c);
}

describe('resident id', () => {
  it('accepts the DOMAIN example 11010519491231002X', () => {
    const id = normalizeResidentId('11010519491231002X');
    expect(id).toMatchObject({
      value: '11010519491231002X',
      checksumValid: true,
      legacy15: false,
      birthDate: '1949-12-31',
      gender: 'F',
    });
  });

  it('check character agrees with the ISO 7064 formulation', () => {
    for (const first17 of [
      '11010519491231002',
      '44030619900101123',
      '32010219850615487',
      '51010419771231001',
    ]) {
      expect(residentIdCheckChar(first17)).toBe(iso7064(first17));
    }
  });

  it('cleans spaces, hyphens, full-width digits and a lower-case x', () => {
    expect(normalizeResidentId(' 110105 1949-1231 002x ')?.value).toBe('11010519491231002X');
    expect(normalizeResidentId('１１０１０５１９４９１２３１００２Ｘ')?.checksumValid).toBe(true);
  });

  it('converts a 15-digit legacy number to 18 digits, unverified', () => {
    const id = normalizeResidentId('110105491231002');
    expect(id?.value).toBe('11010519491231002X');
    expect(id?.legacy15).toBe(true);
    expect(id?.checksumValid).toBe(false);
    expect(id?.birthDate).toBe('1949-12-31');
  });

  it('flags a failed checksum instead of discarding', () => {
    const id = normalizeResidentId('110105194912310021');
    expect(id?.value).toBe('110105194912310021');
    expect(id?.checksumValid).toBe(false);
  });

  it('gives no birth date for an impossible date and null for non-ids', () => {
    const first17 = '11010519490231002';
    expect(normalizeResidentId(first17 + iso7064(first17))?.birthDate).toBeNull();
    expect(normalizeResidentId('12345')).toBeNull();
    expect(normalizeResidentId('')).toBeNull();
    expect(normalizeResidentId('11010519491231002A')).toBeNull();
  });

  it('order code parity gives gender', () => {
    const first17 = '11010519491231001';
    expect(normalizeResidentId(first17 + iso7064(first17))?.gender).toBe('M');
  });
});
