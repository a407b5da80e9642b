import { extractFeatures, type Features, type PartyRecord } from './features';
import { DEFAULT_SURVIVORSHIP, lineageOf, survive, type MemberRecord } from './survivorship';

function member(record: PartyRecord, observedAt: string): MemberRecord {
  const features = extractFeatures(record);
  if (typeof features === 'string') throw new Error(features);
  return { record, features: features as Features, observedAt };
}

const core = member(
  {
    sourceSystem: 'core-banking',
    sourceKey: 'CB-1',
    partyType: 'individual',
    name: '张伟',
    idType: 'CN_RESIDENT_ID',
    idNumber: '11010519491231002X',
    birthDate: '1949-12-31',
    phone: '13800138000',
    address: '北京市朝阳区建国路88号3栋2单元1201室',
  },
  '2026-01-01T00:00:00Z',
);
const cards = member(
  {
    sourceSystem: 'cards',
    sourceKey: 'C-9',
    partyType: 'individual',
    name: '張偉',
    nameLatin: 'Zhang Wei',
    idType: 'CN_RESIDENT_ID',
    idNumber: '110105194912310021',
    birthDate: '1949-12-30',
    phone: '13911112222',
    email: 'ZW@example.com',
  },
  '2026-06-01T00:00:00Z',
);
const online = member(
  {
    sourceSystem: 'online-banking',
    sourceKey: 'OB-3',
    partyType: 'individual',
    nameLatin: 'Wei Zhang',
    birthDate: '1949-12-31',
    phone: '139 1111 2222',
  },
  '2026-03-01T00:00:00Z',
);

describe('survivorship', () => {
  it('takes the name from the highest-priority source and keeps lineage', () => {
    const g = survive([cards, online, core]);
    expect(g.name).toEqual({ value: '张伟', source: 'core-banking:CB-1' });
    expect(g.nameLatin).toEqual({ value: 'Zhang Wei', source: 'cards:C-9' });
    expect(lineageOf(g).name).toBe('core-banking:CB-1');
  });

  it('prefers a checksum-valid identifier over an invalid one, and keeps both', () => {
    const g = survive([cards, core]);
    expect(g.identifiers[0].value).toEqual({
      idType: 'CN_RESIDENT_ID',
      number: '11010519491231002X',
      checksumValid: true,
    });
    expect(g.identifiers).toHaveLength(2);
    expect(g.identifiers[1].value.checksumValid).toBe(false);
  });

  it('takes the birth date most records agree on', () => {
    expect(survive([cards, online, core]).birthDate?.value).toBe('1949-12-31');
  });

  it('orders phones most recent first, de-duplicated after normalisation', () => {
    const g = survive([core, online, cards]);
    expect(g.phones.map((p) => p.value)).toEqual(['13911112222', '13800138000']);
    expect(g.phones[0].source).toBe('cards:C-9');
  });

  it('follows a configured rule list: mostRecent first for names', () => {
    const config = {
      ...DEFAULT_SURVIVORSHIP,
      rules: { ...DEFAULT_SURVIVORSHIP.rules, name: ['mostRecent' as const] },
    };
    expect(survive([core, cards], config).name?.source).toBe('cards:C-9');
  });

  it('does not depend on the order of the members', () => {
    const a = survive([core, cards, online]);
    const b = survive([online, cards, core]);
    expect(b).toEqual(a);
  });
});
