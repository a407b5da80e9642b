import { canonicalGiven, normalizePersonName, sameGivenName, splitHanName } from './name';

describe('person name', () => {
  it('traditional -> simplified, full-width and spaces removed', () => {
    expect(normalizePersonName({ name: '張 偉' })?.han).toBe('张伟');
    expect(normalizePersonName({ name: '歐陽　娜娜' })?.han).toBe('欧阳娜娜');
  });

  it('splits compound surnames', () => {
    expect(splitHanName('欧阳娜娜')).toEqual({ surname: '欧阳', given: '娜娜' });
    expect(splitHanName('王小明')).toEqual({ surname: '王', given: '小明' });
  });

  it('uses surname readings (单 as a surname is shan)', () => {
    expect(normalizePersonName({ name: '单伟' })?.tokens).toEqual(['shan', 'wei']);
  });

  it('a Han name and its pinyin-only spelling share a phonetic form, in either order', () => {
    const han = normalizePersonName({ name: '张小明' });
    for (const latin of [
      'ZHANG Xiaoming',
      'Xiaoming Zhang',
      'zhang xiao ming',
      'Xiao-Ming Zhang',
    ]) {
      const p = normalizePersonName({ nameLatin: latin });
      expect(p?.forms.some((f) => han?.forms.includes(f))).toBe(true);
      expect(p?.letterKey).toBe(han?.letterKey);
    }
  });

  it('Latin names: order swaps, diacritics, nicknames', () => {
    const a = normalizePersonName({ name: 'William Smith' });
    const b = normalizePersonName({ name: 'Smith, Bill' });
    const c = normalizePersonName({ givenName: 'José', familyName: 'García' });
    expect(a?.forms).toContain('smithwilliam');
    expect(b?.tokens).toEqual(['smith', 'bill']);
    expect(sameGivenName('bill', 'william')).toBe(true);
    expect(canonicalGiven('bill')).toBe('william');
    expect(c?.tokens).toEqual(['jose', 'garcia']);
    expect(c?.surname).toBe('garcia');
  });

  it('returns null without any name', () => {
    expect(normalizePersonName({})).toBeNull();
  });
});
