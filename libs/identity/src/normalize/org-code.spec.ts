import { normalizeOrgCode, orgCodeCheckChar } from './org-code';

/** Independent derivation straight from GB 11714 (digits 0-9, letters A=10 ... Z=35). */
function check(first8: string): string {
  const w = [3, 7, 9, 10, 5, 8, 4, 2];
  let sum = 0;
  for (let i = 0; i < 8; i++) sum += parseInt(first8[i], 36) * w[i];
  const c = 11 - (sum % 11);
  return c === 10 ? 'X' : c === 11 ? '0' : String(c);
}

describe('organisation code', () => {
  it('matches the hand-computed check of M000100Y (= 4)', () => {
    // 22*3 + 1*5 + 34*2 = 139; 139 mod 11 = 7; 11 - 7 = 4
    expect(orgCodeCheckChar('M000100Y')).toBe('4');
  });

  it('agrees with an independent implementation', () => {
    for (const s of ['12345678', 'D2143569', '71526726', '00000000', 'ABCDEFGH', '80210043']) {
      expect(orgCodeCheckChar(s)).toBe(check(s));
    }
  });

  it('normalises the hyphenated form and flags a bad check', () => {
    const c = check('71526726');
    expect(normalizeOrgCode(`71526726-${c}`)).toEqual({
      value: `71526726${c}`,
      checksumValid: true,
    });
    expect(normalizeOrgCode(`71526726${c === '1' ? '2' : '1'}`)?.checksumValid).toBe(false);
    expect(normalizeOrgCode('7152')).toBeNull();
  });
});
