import { normalizePhone } from './phone';

describe('phone', () => {
  it.each([
    ['+86 138 0013 8000', '13800138000'],
    ['86-138-0013-8000', '13800138000'],
    ['008613800138000', '13800138000'],
    ['138 0013 8000', '13800138000'],
    ['１３８００１３８０００', '13800138000'],
    ['(138)0013-8000', '13800138000'],
    ['010-6512 3456', '01065123456'],
    ['+44 20 7946 0958', '442079460958'],
    ['+1 873 703 4108', '8737034108'],
    ['(873) 703-4108', '8737034108'],
  ])('%s -> %s', (raw, expected) => {
    expect(normalizePhone(raw)).toBe(expected);
  });
  it('rejects junk', () => {
    expect(normalizePhone('123')).toBeNull();
    expect(normalizePhone('00000000000')).toBeNull();
    expect(normalizePhone('')).toBeNull();
  });
});
