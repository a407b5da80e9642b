import { normalizeOtherId } from './passport';

describe('passport / other ids', () => {
  it('strips separators, width and case', () => {
    expect(normalizeOtherId(' e1234-5678 ')).toBe('E12345678');
    expect(normalizeOtherId('Ｇ１２３４５６７８')).toBe('G12345678');
  });
  it('drops placeholders', () => {
    expect(normalizeOtherId('000000')).toBeNull();
    expect(normalizeOtherId('12')).toBeNull();
    expect(normalizeOtherId(null)).toBeNull();
  });
});
