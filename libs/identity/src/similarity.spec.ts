import { jaroWinkler, osaDistance, withinOneEdit } from './similarity';

describe('string similarity', () => {
  it('osaDistance counts edits and adjacent transpositions, capped', () => {
    expect(osaDistance('110105199001010021', '110105199001010021')).toBe(0);
    expect(osaDistance('110105199001010021', '110105199001010012')).toBe(1);
    expect(osaDistance('abc', 'xyz', 1)).toBe(2);
  });

  it('withinOneEdit agrees with osaDistance <= 1 on every pair of a sample', () => {
    const words = [
      '',
      'a',
      'ab',
      'ba',
      'abc',
      'acb',
      'abd',
      'abcd',
      'abdc',
      'bacd',
      'xbcd',
      'abc1',
    ];
    const ids = [
      '110105199001010021',
      '110105199001010012',
      '110105199001010031',
      '11010519900101002',
    ];
    for (const set of [words, ids])
      for (const a of set)
        for (const b of set)
          expect([a, b, withinOneEdit(a, b)]).toEqual([a, b, osaDistance(a, b, 1) <= 1]);
  });

  it('jaroWinkler favours a common prefix', () => {
    expect(jaroWinkler('martha', 'marhta')).toBeCloseTo(0.961, 3);
    expect(jaroWinkler('abc', 'abc')).toBe(1);
    expect(jaroWinkler('abc', 'xyz')).toBe(0);
  });
});
