import { maskEmails, maskPhones, normaliseEmail, normalisePhone } from './contact-normalizer';

describe('contact normalisation', () => {
  it.each([
    ['13800138000', '13800138000'],
    ['+86 138-0013-8000', '13800138000'],
    ['0086 13800138000', '13800138000'],
    ['8613800138000', '13800138000'],
    ['１３８ ００１３ ８０００', '13800138000'],
    ['(010) 6512-3456', '01065123456'],
    ['+852 2345 6789', '+85223456789'],
  ])('normalises %s to %s', (raw, expected) => {
    expect(normalisePhone(raw)).toBe(expected);
  });

  it('lower-cases e-mail addresses', () => {
    expect(normaliseEmail(' Zhang.Wei@Example.COM ')).toBe('zhang.wei@example.com');
  });

  it('masks phones and e-mails', () => {
    expect(maskPhones([{ type: 'mobile', number: '13800138000' }])).toEqual([
      { type: 'mobile', masked: '*******8000' },
    ]);
    expect(maskEmails([{ type: 'personal', address: 'zhang.wei@example.com' }])).toEqual([
      { type: 'personal', masked: 'z***@example.com' },
    ]);
  });
});
