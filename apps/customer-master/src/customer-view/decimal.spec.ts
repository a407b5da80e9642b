import { sumDecimals } from './decimal';

describe('sumDecimals', () => {
  it.each([
    [['0.1', '0.2'], '0.3'],
    [['15230.55', '-200000.00'], '-184769.45'],
    [['1', '2.5'], '3.5'],
    [['-0.01', '0.01'], '0.00'],
    [['100'], '100'],
    [[], '0'],
  ])('%j -> %s', (values, expected) => {
    expect(sumDecimals(values)).toBe(expected);
  });
});
