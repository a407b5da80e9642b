import { compareDates, compareRecords, comparePersonNames } from './compare';
import { extractFeatures, type Features, type PartyRecord } from './features';
import { normalizePersonName } from './normalize/name';
import { residentIdCheckChar } from './normalize/resident-id';

const features = (over: Partial<PartyRecord>): Features => {
  const f = extractFeatures({
    sourceSystem: 's',
    sourceKey: 'k',
    partyType: 'individual',
    ...over,
  });
  if (typeof f === 'string') throw new Error(f);
  return f;
};
const level = (a: Partial<PartyRecord>, b: Partial<PartyRecord>, field: string) =>
  compareRecords(features(a), features(b)).find((c) => c.field === field)?.level;
const rid = (first17: string): string => first17 + residentIdCheckChar(first17);

describe('field comparison levels', () => {
  it('birth dates: exact, one part keyed wrong or day and month swapped, else different', () => {
    expect(compareDates('1990-03-15', '1990-03-15', true)).toBe('exact');
    expect(compareDates('1990-03-15', '1990-03-17', true)).toBe('partial'); // day
    expect(compareDates('1990-03-15', '1990-08-15', true)).toBe('partial'); // month
    expect(compareDates('1990-03-15', '1991-03-15', true)).toBe('partial'); // one year digit
    expect(compareDates('1990-03-05', '1990-05-03', true)).toBe('partial'); // swapped
    expect(compareDates('1990-03-15', '1960-03-15', true)).toBe('partial');
    expect(compareDates('1990-03-15', '1975-03-15', true)).toBe('different'); // two year digits
    expect(compareDates('1990-03-15', '1990-04-16', true)).toBe('different');
    expect(compareDates('1990-03-15', null, true)).toBeNull();
  });

  it('identity numbers: a passport may be reissued, a personal number is for life', () => {
    const p = (n: string) => ({ name: 'Ann Lee', idType: 'PASSPORT' as const, idNumber: n });
    const n = (x: string) => ({ name: 'Ann Lee', idType: 'NATIONAL_ID' as const, idNumber: x });
    expect(level(p('X1234567'), p('x1234567'), 'id')).toBe('exact');
    expect(level(p('X1234567'), p('X1234568'), 'id')).toBe('near');
    expect(level(p('X1234567'), p('Y7654321'), 'id')).toBe('reissued');
    expect(level(n('123456789'), n('987654321'), 'id')).toBe('different');
    expect(level(n('123456789'), p('123456789'), 'id')).toBeNull(); // other kinds
    const a = {
      name: '王芳',
      idType: 'CN_RESIDENT_ID' as const,
      idNumber: rid('11010519900101002'),
    };
    const b = {
      name: '王芳',
      idType: 'CN_RESIDENT_ID' as const,
      idNumber: rid('11010519900101004'),
    };
    expect(level(a, b, 'id')).toBe('conflict'); // both checksums hold
  });

  it('gender agreement is implied by agreeing names, evidence only when the names differ', () => {
    const m = (name: string) => ({ name, gender: 'M' });
    expect(level(m('John Smith'), m('Smith, John'), 'gender')).toBe('implied');
    expect(level(m('John Smith'), m('Mark Smith'), 'gender')).toBe('agree');
    expect(level(m('John Smith'), { name: 'John Smith', gender: 'F' }, 'gender')).toBe('disagree');
  });

  it('Han names: same characters, homophones, and pinyin-only spellings', () => {
    const p = (name: string | null, nameLatin?: string) => {
      const n = normalizePersonName({ name, nameLatin });
      if (!n) throw new Error('no name');
      return n;
    };
    expect(comparePersonNames(p('張偉'), p('张伟'))).toBe('exact');
    expect(comparePersonNames(p('张伟'), p('章薇'))).toBe('homophone');
    expect(comparePersonNames(p('张伟'), p(null, 'ZHANG Wei'))).toBe('phonetic');
    expect(comparePersonNames(p('张伟'), p('李伟'))).toBe('different');
  });

  it('addresses: the same key, the same street and house number, or different', () => {
    const at = (address: string) => ({ name: 'Ann Lee', address });
    expect(level(at('12 High Street, Apt 4'), at('12 high st. apt. 4'), 'address')).toBe('exact');
    expect(level(at('12 High Street, Apt 4'), at('12 High St, Apt 9'), 'address')).toBe('street');
    expect(level(at('12 High Street'), at('120 High Street'), 'address')).toBe('different');
    expect(level(at('12 High Street'), at('12 Low Street'), 'address')).toBe('different');
    expect(level(at('建国路88号3栋2单元1201室'), at('建国路88号5栋1单元301'), 'address')).toBe(
      'street',
    );
  });

  it('household data counts as shared, not as identity, when the names disagree', () => {
    const home = { phone: '13800138000', address: '建国路88号3栋2单元1201室' };
    expect(level({ name: '李建国', ...home }, { name: '张秀英', ...home }, 'phone')).toBe('shared');
    expect(level({ name: '李建国', ...home }, { name: '李建國', ...home }, 'phone')).toBe('exact');
  });
});
