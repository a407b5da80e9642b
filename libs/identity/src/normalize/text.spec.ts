import { clean, toHalfWidth, toSimplified } from './text';

describe('text helpers', () => {
  it('full-width to half-width', () => {
    expect(toHalfWidth('ＡＢＣ１２３（）　')).toBe('ABC123() ');
  });
  it('traditional to simplified', () => {
    expect(toSimplified('歐陽號')).toBe('欧阳号');
    expect(toSimplified('張偉 Zhang')).toBe('张伟 Zhang');
  });
  it('converts names character by character, never as words', () => {
    // as a word 沈思 is 沉思 ("ponder"); as a name it is the surname 沈 and the given name 思
    expect(toSimplified('沈思')).toBe('沈思');
    expect(toSimplified('瀋陽')).toBe('沈阳');
  });
  it('placeholders are empty', () => {
    expect(clean(' N/A ')).toBeNull();
    expect(clean('x')).toBe('x');
  });
});
