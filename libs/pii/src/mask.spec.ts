import { maskEmail, maskTail } from './mask';

describe('maskTail', () => {
  it('keeps the last four characters and the length', () => {
    expect(maskTail('11010519491231002X')).toBe('**************002X');
    expect(maskTail('6222021234567890123')).toBe('***************0123');
  });
  it('masks short values completely', () => {
    expect(maskTail('123')).toBe('***');
    expect(maskTail('1234')).toBe('****');
  });
  it('counts characters, not UTF-16 units', () => {
    expect(maskTail('𠀀𠀀𠀀𠀀𠀀', 1)).toBe('****𠀀');
  });
});

describe('maskEmail', () => {
  it('keeps the first character and the domain', () => {
    expect(maskEmail('zhang.wei@example.com')).toBe('z***@example.com');
  });
  it('masks a value that is not an address', () => {
    expect(maskEmail('nonsense')).toBe('********');
  });
});
