import { normalizeUscc, usccCheckChar } from './uscc';

const ALPHABET = '0123456789ABCDEFGHJKLMNPQRTUWXY';
/** Independent: weights are 3^i mod 31. */
function check(first17: string): string {
  let sum = 0;
  for (let i = 0; i < 17; i++) sum += ALPHABET.indexOf(first17[i]) * (3 ** i % 31);
  return ALPHABET[(31 - (sum % 31)) % 31];
}

describe('USCC', () => {
  it('weights follow 3^i mod 31 (independent derivation)', () => {
    for (const s of [
      '91350100M000100Y4',
      '91110000100000000',
      '12100000400000011',
      '9144030071526726X',
    ]) {
      expect(usccCheckChar(s)).toBe(check(s));
    }
  });

  it('validates a code and exposes the embedded organisation code', () => {
    const first17 = '91350100M000100Y4';
    const code = normalizeUscc(`${first17}${check(first17)}`);
    expect(code?.checksumValid).toBe(true);
    expect(code?.orgCode.value).toBe('M000100Y4');
    expect(code?.orgCode.checksumValid).toBe(true);
  });

  it('cleans noise and flags a bad checksum', () => {
    const first17 = '91350100M000100Y4';
    const good = check(first17);
    const bad = good === '0' ? '1' : '0';
    expect(normalizeUscc(` ${first17.toLowerCase()}-${good} `)?.checksumValid).toBe(true);
    expect(normalizeUscc(first17 + bad)?.checksumValid).toBe(false);
    expect(normalizeUscc('9135')).toBeNull();
  });
});
