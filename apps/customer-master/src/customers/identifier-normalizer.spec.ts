import {
  hasValidResidentIdCheck,
  identifierFormatProblem,
  identifierSearchForms,
  normaliseIdentifier,
  normaliseIdentifierNumber,
  residentId15To18,
  residentId18To15,
  residentIdCheckChar,
} from './identifier-normalizer';

describe('identifier normalisation', () => {
  it('folds full-width characters, spaces, hyphens and a lower-case x', () => {
    expect(normaliseIdentifierNumber('１１０１０５ 1949-1231 002x')).toBe('11010519491231002X');
  });

  it.each([
    // the GB 11643 example and numbers checked by hand: sum of digit*weight mod 11 -> '10X98765432'
    ['11010519491231002', 'X'],
    ['44052418800101001', '4'],
    ['11010119900307001', '1'], // sum 154, 154 mod 11 = 0
  ])('computes the check character of %s as %s', (first17, check) => {
    expect(residentIdCheckChar(first17)).toBe(check);
  });

  it('converts a 15-digit resident id to 18 characters (century 19, check character)', () => {
    expect(residentId15To18('110105491231002')).toBe('11010519491231002X');
    expect(hasValidResidentIdCheck(residentId15To18('440524800101001'))).toBe(true);
  });

  it('derives the legacy 15-digit form only for 1900s births', () => {
    expect(residentId18To15('11010519491231002X')).toBe('110105491231002');
    expect(residentId18To15('110105200001010011')).toBeNull();
    expect(residentId18To15('ABC')).toBeNull();
  });

  it('stores resident ids in the 18-character form and other types only normalised', () => {
    expect(normaliseIdentifier('CN_RESIDENT_ID', '110105491231002')).toBe('11010519491231002X');
    expect(normaliseIdentifier('CN_RESIDENT_ID', '11010519491231002x')).toBe('11010519491231002X');
    expect(normaliseIdentifier('PASSPORT', 'e 1234 5678')).toBe('E12345678');
    expect(normaliseIdentifier('OTHER', '110105491231002')).toBe('110105491231002');
  });

  it('searches a 15-digit number under its 18-character form and the reverse', () => {
    expect(identifierSearchForms('110105491231002')).toEqual([
      '110105491231002',
      '11010519491231002X',
    ]);
    expect(identifierSearchForms('11010519491231002x', 'CN_RESIDENT_ID')).toEqual([
      '11010519491231002X',
      '110105491231002',
    ]);
    expect(identifierSearchForms('91310000MA1FL8XQ30', 'CN_USCC')).toEqual(['91310000MA1FL8XQ30']);
  });

  it('validates the shape of a resident id but accepts a failing check character', () => {
    expect(identifierFormatProblem('CN_RESIDENT_ID', '1101051949')).toMatch(/18 characters/);
    expect(identifierFormatProblem('CN_RESIDENT_ID', '11010519491231002A')).toMatch(/18/);
    expect(identifierFormatProblem('CN_RESIDENT_ID', '110105194912310021')).toBeNull();
    expect(hasValidResidentIdCheck('110105194912310021')).toBe(false);
    expect(identifierFormatProblem('PASSPORT', 'E12345678')).toBeNull();
  });
});
