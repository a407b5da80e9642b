import { DEFAULT_CONFIG } from './config';
import { extractFeatures, type Features, type PartyRecord } from './features';
import { NameFrequencies, SHARED_NAME_BEARERS } from './name-frequency';
import { normalizePersonName, type PersonName } from './normalize/name';
import { Scorer } from './scoring';

const name = (n: string): PersonName => {
  const p = normalizePersonName({ name: n });
  if (!p) throw new Error(n);
  return p;
};
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

describe('name frequencies', () => {
  it('count people per whole name and per sound', () => {
    const names = new NameFrequencies();
    for (let i = 0; i < 6; i++) names.observe(name('John Smith'));
    names.observe(name('Smith, John'));
    names.observe(name('张伟'));
    names.observe(name('章薇'));
    names.recordsPerPerson = 2;
    expect(names.name(name('JOHN SMITH'))).toBe(3.5);
    expect(names.name(name('Ann Lee'))).toBe(1); // never seen: one bearer, itself
    expect(names.name(name('张伟'))).toBe(1);
    expect(names.sound(name('张伟'))).toBe(1); // zhang wei: two records, one person each
    expect(names.size).toBe(9);
    // Latin tokens, per record: what tells a keying error from another name
    expect(names.token('john')).toBe(7);
    expect(names.token('smith')).toBe(7);
    expect(names.token('ann')).toBe(0);
  });

  it('a near spelling nobody else bears links like a keying error once the common one is known', () => {
    const scorer = new Scorer(DEFAULT_CONFIG);
    const names = new NameFrequencies();
    scorer.names = names;
    const a = features({ name: 'Jyhn Scott', birthDate: '1953-04-13', address: '8017 Pine Rd' });
    const b = features({ name: 'John Scott', birthDate: '1953-04-13', address: '8017 Pine Rd' });
    const level = () => scorer.score(a, b).fields.find((f) => f.field === 'name')?.level;
    names.observe(a.person as PersonName);
    names.observe(b.person as PersonName);
    expect(level()).toBe('fuzzy');
    // the address counts as a household's until the names agree
    expect(scorer.score(a, b).fields.find((f) => f.field === 'address')?.level).toBe('shared');
    expect(scorer.score(a, b).band).not.toBe('autoLink');
    for (let i = 0; i < 60; i++) names.observe(name('John Smith'));
    expect(level()).toBe('typo');
    expect(scorer.score(a, b).fields.find((f) => f.field === 'address')?.level).toBe('exact');
    expect(scorer.score(a, b).band).toBe('autoLink');
    expect(scorer.total(a, b)).toBe(scorer.score(a, b).total);
  });

  it('a common name agreement weighs less, a name borne by few keeps the configured weight', () => {
    const scorer = new Scorer(DEFAULT_CONFIG);
    const names = new NameFrequencies();
    scorer.names = names;
    const a = features({ name: 'James Smith', birthDate: '1980-01-01' });
    const b = features({ name: 'Smith, James', birthDate: '1980-01-01' });
    const weight = () => scorer.score(a, b).fields.find((f) => f.field === 'name')?.weight ?? 0;
    const configured = weight();
    for (let i = 0; i < SHARED_NAME_BEARERS; i++) names.observe(a.person as PersonName);
    expect(weight()).toBe(configured);
    for (let i = 0; i < 15 * SHARED_NAME_BEARERS; i++) names.observe(a.person as PersonName);
    // 16 times the bearers the configured weight allows for: four bits less
    expect(weight()).toBeCloseTo(configured - 4, 2);
    expect(scorer.total(a, b)).toBe(scorer.score(a, b).total);
    expect(scorer.score(a, b).band).toBe('autoLink');
    // at 64 times, name and birth date alone no longer link two records: namesakes of the same
    // birth date are no longer rare
    for (let i = 0; i < 48 * SHARED_NAME_BEARERS; i++) names.observe(a.person as PersonName);
    expect(weight()).toBeCloseTo(configured - 6, 2);
    expect(scorer.score(a, b).band).not.toBe('autoLink');
  });
});
