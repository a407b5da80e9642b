import { clean, toHalfWidth, toSimplified } from './text';

describe('text helpers', () => {
  it('full-width to half-width', () => {
    expect(toHalfWidth('ＡＢＣ１２３（）　')).toBe('ABC123() ');
  });
  it('traditional to simplified', () => {
    expect(toSimplified('歐陽號')).toBe('欧阳号');
  });
  it('placeholders are empty', () => {
    expect(clean(' N/A ')).toBeNull();
    expect(clean('x')).toBe('x');
  });
});
