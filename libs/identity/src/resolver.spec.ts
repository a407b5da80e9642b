import type { PartyRecord } from './features';
import { orgCodeCheckChar } from './normalize/org-code';
import { residentIdCheckChar } from './normalize/resident-id';
import { usccCheckChar } from './normalize/uscc';
import { IdentityResolver } from './resolver';
import { formatExplanation, type PairScore } from './scoring';

const rid = (first17: string): string => first17 + residentIdCheckChar(first17);
const person = (over: Partial<PartyRecord>): PartyRecord => ({
  sourceSystem: 'core-banking',
  sourceKey: 'k',
  partyType: 'individual',
  ...over,
});
const score = (a: PartyRecord, b: PartyRecord): PairScore => {
  const s = new IdentityResolver().explainPair(a, b);
  if (typeof s === 'string') throw new Error(s);
  return s;
};

describe('scoring of hard negatives and hard positives', () => {
  const home = '北京市朝阳区建国路88号3栋2单元1201室';

  it('twins (same surname, birth date, address, phone; different given name and id) stay apart', () => {
    const a = person({
      sourceKey: 'a',
      name: '王子涵',
      idType: 'CN_RESIDENT_ID',
      idNumber: rid('11010519900101002'),
      birthDate: '1990-01-01',
      phone: '13800138000',
      address: home,
    });
    const b = person({
      sourceSystem: 'cards',
      sourceKey: 'b',
      name: '王子轩',
      idType: 'CN_RESIDENT_ID',
      idNumber: rid('11010519900101004'),
      birthDate: '1990-01-01',
      phone: '13800138000',
      address: home,
    });
    expect(score(a, b).band).toBe('noLink');
    // and without the id on one side
    expect(score(a, { ...b, idNumber: null, idType: null }).band).toBe('noLink');
    const r = new IdentityResolver();
    expect(r.add(a).customerId).not.toBe(r.add(b).customerId);
  });

  it('family members sharing address and phone stay apart', () => {
    const a = person({
      sourceKey: 'a',
      name: '李建国',
      birthDate: '1960-05-01',
      gender: 'M',
      phone: '13800138000',
      address: home,
    });
    const b = person({
      sourceKey: 'b',
      name: '张秀英',
      birthDate: '1962-07-09',
      gender: 'F',
      phone: '+86 138 0013 8000',
      address: home,
    });
    const s = score(a, b);
    expect(s.band).toBe('noLink');
    expect(s.fields.find((f) => f.field === 'phone')?.level).toBe('shared');
  });

  it('namesakes (very common name, same birth year) stay apart', () => {
    const a = person({
      sourceKey: 'a',
      name: '张伟',
      birthDate: '1985-03-02',
      gender: 'M',
      phone: '13900000001',
    });
    const b = person({
      sourceKey: 'b',
      name: '张伟',
      birthDate: '1985-11-20',
      gender: 'M',
      phone: '13900000002',
    });
    expect(score(a, b).band).toBe('noLink');
    const c = person({
      sourceKey: 'c',
      name: '张伟',
      idType: 'CN_RESIDENT_ID',
      idNumber: rid('31010419850302123'),
      birthDate: '1985-03-02',
    });
    const d = person({
      sourceKey: 'd',
      name: '张伟',
      idType: 'CN_RESIDENT_ID',
      idNumber: rid('44030519850302457'),
      birthDate: '1985-03-02',
    });
    expect(score(c, d).band).toBe('noLink');
    const r = new IdentityResolver();
    expect(r.add(c).customerId).not.toBe(r.add(d).customerId);
  });

  it('a pinyin-only record links to its Chinese-name record when the id matches', () => {
    const id = rid('11010519491231002');
    const a = person({ sourceKey: 'a', name: '歐陽娜娜', idType: 'CN_RESIDENT_ID', idNumber: id });
    const b = person({
      sourceSystem: 'wealth',
      sourceKey: 'b',
      nameLatin: 'Nana OUYANG',
      idType: 'CN_RESIDENT_ID',
      idNumber: id.toLowerCase(),
    });
    const s = score(a, b);
    expect(s.band).toBe('autoLink');
    expect(s.fields.find((f) => f.field === 'name')?.level).toBe('phonetic');
  });

  it('a 15-digit legacy id record links to the 18-digit one', () => {
    const a = person({
      sourceKey: 'a',
      name: '张伟',
      idType: 'CN_RESIDENT_ID',
      idNumber: '11010519491231002X',
    });
    const b = person({
      sourceSystem: 'loans',
      sourceKey: 'b',
      name: '张 伟',
      idType: 'CN_RESIDENT_ID',
      idNumber: '110105491231002',
    });
    const s = score(a, b);
    expect(s.band).toBe('autoLink');
    expect(s.fields[0]).toMatchObject({ field: 'id', level: 'exact' });
  });

  const usccOf = (oc8: string, region = '110105'): string => {
    const oc = oc8 + orgCodeCheckChar(oc8);
    const first17 = `91${region}${oc}`;
    return first17 + usccCheckChar(first17);
  };

  it('a legacy organisation-code-only record finds its USCC organisation', () => {
    const uscc = usccOf('MA01B2C3');
    const a: PartyRecord = {
      sourceSystem: 'core-banking',
      sourceKey: 'o1',
      partyType: 'organization',
      name: '北京华信科技有限公司',
      idType: 'CN_USCC',
      idNumber: uscc,
    };
    const b: PartyRecord = {
      sourceSystem: 'loans',
      sourceKey: 'o2',
      partyType: 'organization',
      name: '华信科技（北京）有限责任公司',
      idType: 'CN_ORG_CODE',
      idNumber: `${uscc.slice(8, 16)}-${uscc[16]}`,
    };
    const r = new IdentityResolver();
    const first = r.add(a);
    const second = r.add(b);
    expect(second.outcome).toBe('linked');
    expect(second.customerId).toBe(first.customerId);
    expect(second.explanation?.score.fields[0]).toMatchObject({ field: 'id', level: 'orgCode' });
  });

  it('related companies of one group (shared brand and phone, different USCC) stay apart', () => {
    const a: PartyRecord = {
      sourceSystem: 'core-banking',
      sourceKey: 'o1',
      partyType: 'organization',
      name: '华信科技有限公司',
      idType: 'CN_USCC',
      idNumber: usccOf('MA01B2C3'),
      phone: '010-88886666',
    };
    const b: PartyRecord = {
      sourceSystem: 'core-banking',
      sourceKey: 'o2',
      partyType: 'organization',
      name: '华信科技服务有限公司',
      idType: 'CN_USCC',
      idNumber: usccOf('MA01B2C5'),
      phone: '010-88886666',
    };
    expect(score(a, b).band).toBe('noLink');
    expect(score(a, { ...b, idNumber: null, idType: null }).band).not.toBe('autoLink');
  });

  it('explanations list every field outcome and weight and the total', () => {
    const a = person({
      sourceKey: 'a',
      name: '张伟',
      idType: 'CN_RESIDENT_ID',
      idNumber: '11010519491231002X',
      phone: '13800138000',
    });
    const s = score(a, { ...a, sourceKey: 'b' });
    expect(s.fields.map((f) => f.field)).toEqual([
      'id',
      'name',
      'birthDate',
      'gender',
      'phone',
      'email',
      'address',
    ]);
    expect(s.total).toBeCloseTo(
      s.fields.reduce((t, f) => t + f.weight, 0),
      1,
    );
    expect(formatExplanation(s)).toMatch(
      /^id=exactChecked\(\+\d+\.\d\d\) .* = \d+\.\d\d autoLink$/,
    );
  });
});

describe('IdentityResolver', () => {
  it('merges two customers through a bridging record, and refuses a bridge between different valid ids', () => {
    const r = new IdentityResolver();
    const a = r.add(
      person({
        sourceKey: 'a',
        name: '刘洋',
        idType: 'CN_RESIDENT_ID',
        idNumber: rid('11010519800101001'),
      }),
    );
    const b = r.add(
      person({
        sourceSystem: 'wealth',
        sourceKey: 'b',
        nameLatin: 'LIU Yang',
        email: 'liuyang1980@example.com',
      }),
    );
    expect(b.customerId).not.toBe(a.customerId);
    const c = r.add(
      person({
        sourceSystem: 'loans',
        sourceKey: 'c',
        name: '劉洋',
        idType: 'CN_RESIDENT_ID',
        idNumber: rid('11010519800101001'),
        email: 'LiuYang1980@example.com',
      }),
    );
    expect(c.outcome).toBe('merged');
    expect(c.mergedCustomerIds).toHaveLength(1);
    // a record whose valid id differs from the cluster's valid id is never linked into it
    const d = r.add(
      person({
        sourceSystem: 'cards',
        sourceKey: 'd',
        name: '刘洋',
        idType: 'CN_RESIDENT_ID',
        idNumber: rid('11010519800101003'),
        email: 'liuyang1980@example.com',
      }),
    );
    expect(d.customerId).not.toBe(c.customerId);
    expect(r.stats.customers).toBe(2);
  });

  it('rejects records without a key or usable name, with a reason', () => {
    const r = new IdentityResolver();
    const d = r.add({
      sourceSystem: 'cards',
      sourceKey: 'x',
      partyType: 'individual',
      name: '   ',
    });
    expect(d).toMatchObject({ outcome: 'rejected', customerId: null, reason: 'no usable name' });
  });

  it('a record without a birth date does not join a parent and a child of one name and address', () => {
    const r = new IdentityResolver();
    const home = { address: '12 High Street, Apt 4, Springfield', phone: '+1 415 555 0101' };
    const father = r.add(
      person({ sourceKey: 'f', name: 'Gary Gomez', birthDate: '1950-03-01', ...home }),
    );
    const son = r.add(
      person({ sourceKey: 's', name: 'Gary Gomez', birthDate: '1974-10-09', ...home }),
    );
    expect(son.customerId).not.toBe(father.customerId);
    // matches both on name, phone and address: it may join one of them, never merge the two
    const undated = r.add(person({ sourceKey: 'u', name: 'GOMEZ Gary', ...home }));
    expect(undated.outcome).not.toBe('merged');
    expect(r.customerOf('core-banking:f')).not.toBe(r.customerOf('core-banking:s'));
  });

  it('decisions and explanations serialise with their customer ids and scores', () => {
    const r = new IdentityResolver();
    const a = r.add(
      person({ sourceKey: 'a', name: '孙丽', birthDate: '1988-08-08', phone: '13912345678' }),
    );
    const b = r.add(
      person({ sourceKey: 'b', name: '孫麗', birthDate: '1988-08-08', phone: '13912345678' }),
    );
    const json = JSON.parse(JSON.stringify(b)) as {
      customerId: string;
      explanation: { candidate: string; customerId: string; score: { total: number } };
    };
    expect(json.customerId).toBe(a.customerId);
    expect(json.explanation).toMatchObject({
      candidate: 'core-banking:a',
      customerId: a.customerId,
    });
    expect(json.explanation.score.total).toBe(b.explanation?.score.total);
  });

  it('flags an invalid birth date and ignores it for matching', () => {
    const r = new IdentityResolver();
    const d = r.add(person({ name: '赵敏', birthDate: '1990-02-30' }));
    expect(d.flags).toContain('birthDateInvalid');
  });
});
