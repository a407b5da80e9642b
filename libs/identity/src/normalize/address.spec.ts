import { normalizeAddress } from './address';

describe('address', () => {
  it('building-unit-room forms and admin prefixes reduce to one key', () => {
    const keys = [
      '北京市朝阳区建国路88号3栋2单元1201室',
      '朝阳区建国路88號3号楼2单元1201',
      '北京朝阳区建国路８８号 3-2-1201',
      '中国北京市朝陽區建國路88号3幢2单元1201房',
    ].map((a) => normalizeAddress(a)?.key);
    expect(new Set(keys).size).toBe(1);
    expect(keys[0]).toBe('建国路|88-3-2-1201');
  });

  it('different rooms give different keys', () => {
    expect(normalizeAddress('建国路88号3栋2单元1201室')?.key).not.toBe(
      normalizeAddress('建国路88号3栋2单元1202室')?.key,
    );
  });

  it('Latin addresses: abbreviations and punctuation', () => {
    expect(normalizeAddress('12 High Street, Apt 4')?.key).toBe(
      normalizeAddress('12 high st. apt. 4')?.key,
    );
  });

  it('Latin addresses: numbers in order, unit words dropped, any word is just a word', () => {
    const a = normalizeAddress('7883 Church Lane #11, Greenville');
    expect({ key: a?.key, street: a?.street, numbers: a?.numbers }).toEqual({
      key: 'church ln greenville|7883-11',
      street: 'church ln greenville',
      numbers: ['7883', '11'],
    });
    expect(normalizeAddress('1 Constructor Way, Apt 2B')?.key).toBe('constructor way|1-2');
    expect(normalizeAddress(' , ')).toBeNull();
    expect(JSON.parse(JSON.stringify(a))).toEqual({
      key: 'church ln greenville|7883-11',
      street: 'church ln greenville',
      numbers: ['7883', '11'],
    });
    expect(normalizeAddress('Main Street')?.numbers).toEqual([]);
  });
});
