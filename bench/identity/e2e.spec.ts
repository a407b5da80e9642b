import { normalizeResidentId, resolveBatch, type PartyRecord } from '@bank-crm/identity';

import { pairwise } from './evaluate';
import { generate } from './generate';

// Runs with the identity lib's tests (libs/identity/jest.config.ts includes bench/identity).
describe('identity engine on generated data', () => {
  it('is deterministic: same input, same output', () => {
    const g = generate({ people: 300, seed: 5 });
    const a = resolveBatch(g.records as unknown as PartyRecord[]);
    const b = resolveBatch(g.records as unknown as PartyRecord[]);
    expect(a.assignments).toEqual(b.assignments);
  });

  it('end to end on ~2,000 generated people: precision >= 0.998 and F1 >= 0.98', () => {
    const g = generate({ people: 2000, seed: 2024 });
    const { assignments } = resolveBatch(g.records as unknown as PartyRecord[]);
    const predicted = new Map(
      assignments.map((x) => [`${x.sourceSystem}:${x.sourceKey}`, x.customerId]),
    );
    const s = pairwise(g.truth, predicted);
    expect(s.precision).toBeGreaterThanOrEqual(0.998);
    expect(s.f1).toBeGreaterThanOrEqual(0.98);
  });

  it('the generator gives each person their own identity number, noisy copies included', () => {
    const g = generate({ people: 10_000, seed: 9 });
    const owner = new Map<string, string>();
    let legacy = 0;
    let failed = 0;
    let missing = 0;
    for (const r of g.records) {
      const entity = g.truth.get(`${r.sourceSystem}:${r.sourceKey}`) ?? '';
      const id = r.partyType === 'individual' ? normalizeResidentId(r.idNumber) : null;
      if (r.partyType === 'individual' && !r.idNumber) missing++;
      if (!id) continue;
      if (id.legacy15) legacy++;
      if (!id.legacy15 && !id.checksumValid) failed++;
      if (!id.checksumValid) continue; // a keying error may hit someone else's number
      expect(owner.get(id.value) ?? entity).toBe(entity);
      owner.set(id.value, entity);
    }
    expect(legacy).toBeGreaterThan(0);
    expect(failed).toBeGreaterThan(0);
    expect(missing).toBeGreaterThan(0);
  });

  it('the evaluator counts pairs through the contingency table', () => {
    const truth = new Map([
      ['a', 'E1'],
      ['b', 'E1'],
      ['c', 'E1'],
      ['d', 'E2'],
    ]);
    const pred = new Map<string, string | null>([
      ['a', 'C1'],
      ['b', 'C1'],
      ['c', 'C2'],
      ['d', 'C2'],
    ]);
    // true pairs ab ac bc; predicted ab cd; correct ab
    expect(pairwise(truth, pred)).toMatchObject({
      truePairs: 3,
      predictedPairs: 2,
      correctPairs: 1,
      precision: 0.5,
    });
  });
});
