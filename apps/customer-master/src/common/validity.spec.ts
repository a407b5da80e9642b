import { endProblem, isValidOn, overlaps, periodProblem, type Validity } from './validity';

const p = (validFrom: string, validTo: string | null = null): Validity => ({ validFrom, validTo });

describe('validity periods (as-of logic)', () => {
  describe('isValidOn', () => {
    it.each([
      ['before the start', p('2026-01-10'), '2026-01-09', false],
      ['on the first day', p('2026-01-10'), '2026-01-10', true],
      ['open-ended, far later', p('2026-01-10'), '2099-12-31', true],
      ['the day before validTo', p('2026-01-10', '2026-02-01'), '2026-01-31', true],
      ['on validTo (exclusive)', p('2026-01-10', '2026-02-01'), '2026-02-01', false],
      ['after validTo', p('2026-01-10', '2026-02-01'), '2026-03-01', false],
      ['a one-day period on its day', p('2026-01-10', '2026-01-11'), '2026-01-10', true],
    ])('%s', (_label, v, date, expected) => {
      expect(isValidOn(v, date)).toBe(expected);
    });
  });

  describe('overlaps', () => {
    it.each([
      ['disjoint', p('2026-01-01', '2026-02-01'), p('2026-03-01', '2026-04-01'), false],
      ['adjacent (end = next start)', p('2026-01-01', '2026-02-01'), p('2026-02-01'), false],
      ['one day shared', p('2026-01-01', '2026-02-02'), p('2026-02-01'), true],
      ['contained', p('2026-01-01', '2026-12-31'), p('2026-03-01', '2026-04-01'), true],
      ['two open-ended', p('2026-01-01'), p('2027-01-01'), true],
      [
        'open-ended before a closed later one',
        p('2026-05-01'),
        p('2026-01-01', '2026-05-01'),
        false,
      ],
      ['identical', p('2026-01-01', '2026-02-01'), p('2026-01-01', '2026-02-01'), true],
    ])('%s', (_label, a, b, expected) => {
      expect(overlaps(a, b)).toBe(expected);
      expect(overlaps(b, a)).toBe(expected);
    });
  });

  it('rejects an empty or inverted period', () => {
    expect(periodProblem(p('2026-01-01', '2026-01-01'))).toMatch(/after validFrom/);
    expect(periodProblem(p('2026-01-02', '2026-01-01'))).toMatch(/after validFrom/);
    expect(periodProblem(p('2026-01-01', '2026-01-02'))).toBeNull();
    expect(periodProblem(p('2026-01-01'))).toBeNull();
  });

  it('ends only an open period, after its start', () => {
    expect(endProblem(p('2026-01-01'), '2026-02-01')).toBeNull();
    expect(endProblem(p('2026-01-01'), '2026-01-01')).toMatch(/after validFrom/);
    expect(endProblem(p('2026-01-01', '2026-03-01'), '2026-02-01')).toMatch(/already ended/);
  });
});
