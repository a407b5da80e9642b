import { normalizeEmail } from './email';

describe('email', () => {
  it('lower-cases, trims, drops +tags', () => {
    expect(normalizeEmail(' Zhang.Wei@Example.COM ')).toBe('zhang.wei@example.com');
    expect(normalizeEmail('zw+bank@example.com')).toBe('zw@example.com');
    expect(normalizeEmail('ｚｗ＠ｅｘａｍｐｌｅ．ｃｏｍ')).toBe('zw@example.com');
  });
  it('rejects values that are not addresses', () => {
    expect(normalizeEmail('zhang wei')).toBeNull();
    expect(normalizeEmail('a@b')).toBeNull();
  });
});
