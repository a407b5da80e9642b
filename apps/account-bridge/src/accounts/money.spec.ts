import {
  fromMinor,
  isSignificantMove,
  normaliseMoney,
  toMinor,
  DEFAULT_BALANCE_THRESHOLD,
} from './money';
import { maskAccountNumber } from './contract-mapping';
import { contentHash } from './record-hash';

describe('money', () => {
  it('keeps decimals exact (no floats)', () => {
    expect(normaliseMoney('0.1')).toBe('0.1000');
    expect(fromMinor(toMinor('0.1') + toMinor('0.2'))).toBe('0.3000');
    expect(normaliseMoney('-3250.10')).toBe('-3250.1000');
    expect(normaliseMoney('9999999999999999.9999')).toBe('9999999999999999.9999');
    expect(() => toMinor('1.23456')).toThrow(/decimal places/);
    expect(() => toMinor('1e5')).toThrow(/not a decimal/);
  });

  it('publishes a balance move of at least 100.00 or 1 % of the previous balance', () => {
    const t = DEFAULT_BALANCE_THRESHOLD;
    expect(isSignificantMove(toMinor('20000'), toMinor('20050'), t)).toBe(false);
    expect(isSignificantMove(toMinor('20000'), toMinor('20200'), t)).toBe(true);
    expect(isSignificantMove(toMinor('500'), toMinor('505'), t)).toBe(true); // 1 %
    expect(isSignificantMove(toMinor('500'), toMinor('504.99'), t)).toBe(false);
    expect(isSignificantMove(toMinor('0'), toMinor('99.99'), t)).toBe(false);
    expect(isSignificantMove(toMinor('-1000'), toMinor('-1010'), t)).toBe(true);
    expect(isSignificantMove(toMinor('1'), toMinor('1'), t)).toBe(false);
  });
});

describe('account vocabulary', () => {
  it('masks account numbers to their last 4 characters', () => {
    expect(maskAccountNumber('6222 0202 0011 2233 445')).toBe('***************3445');
    expect(maskAccountNumber('1234')).toBe('**1234');
    expect(maskAccountNumber('1'.repeat(60))).toBe(`${'*'.repeat(30)}1111`);
  });

  it('hashes records independently of key order', () => {
    expect(contentHash({ a: 1, b: [1, { c: 2, d: 3 }] })).toBe(
      contentHash({ b: [1, { d: 3, c: 2 }], a: 1 }),
    );
  });
});
