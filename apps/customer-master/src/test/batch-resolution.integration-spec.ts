import { randomUUID } from 'node:crypto';

import { SourceRecordLinkedV1, type SourcePartyRecordV1 } from '@bank-crm/contracts';
import { blockingKeys, extractFeatures, type Features } from '@bank-crm/identity';
import { closeTestKafka, startTestService, type RunningService } from '@bank-crm/testing';

// the benchmark's generator: realistic duplicates, noise and hard negatives, with ground truth
// eslint-disable-next-line @nx/enforce-module-boundaries -- a test fixture, not a runtime dependency
import { generate } from '../../../../bench/identity/generate';
import type { CustomerMasterConfig } from '../config/customer-master.config';
import { BatchResolver } from '../resolution/batch-resolver';
import {
  keyHash,
  ResolutionService,
  type ResolutionResult,
} from '../resolution/resolution.service';
import { customerMasterService } from '../service-definition';
import { randomBirth, randomMobile, residentId, uniqueHanName } from './fixtures';

/**
 * The consumer resolves a chunk of records with set-based SQL (`BatchResolver`); resolving the
 * same records one per transaction (`ResolutionService.resolve`) must give the same customers,
 * the same review items and the same decisions. Both run against real PostgreSQL databases.
 */
describe('batch identity resolution equals record-by-record resolution (real PostgreSQL)', () => {
  let one: RunningService<CustomerMasterConfig>;
  let batch: RunningService<CustomerMasterConfig>;
  const run = randomUUID().slice(0, 8);
  // the databases may also hold what other producers sent to the topic: compare this run's only
  const mine = `%-${run}`;

  beforeAll(async () => {
    one = await startTestService(customerMasterService);
    batch = await startTestService(customerMasterService);
  });

  afterAll(async () => {
    await one?.close();
    await batch?.close();
    await closeTestKafka();
  });

  /** Customers as sets of records (customer ids differ only by who created them first). */
  const partition = async (svc: RunningService<CustomerMasterConfig>) => {
    const rows = (await svc.dataSource.query(
      `SELECT customer_id, source_system || ':' || source_key AS ref, resolution_status,
         decision->>'outcome' AS outcome
       FROM source_record WHERE source_system LIKE $1 ORDER BY ref`,
      [mine],
    )) as { customer_id: string | null; ref: string; resolution_status: string; outcome: string }[];
    const groups = new Map<string, string[]>();
    for (const r of rows) {
      const key = r.customer_id ?? `rejected:${r.ref}`;
      groups.set(key, [...(groups.get(key) ?? []), r.ref]);
    }
    return {
      clusters: [...groups.values()].map((g) => g.sort().join(' ')).sort(),
      outcomes: rows.map((r) => `${r.ref} ${r.resolution_status} ${r.outcome}`),
    };
  };
  const reviewPairs = async (svc: RunningService<CustomerMasterConfig>) =>
    (
      (await svc.dataSource.query(
        `SELECT pair_key, status, kind FROM review_item WHERE record_system LIKE $1
         ORDER BY pair_key, status`,
        [mine],
      )) as { pair_key: string; status: string; kind: string }[]
    ).map((r) => `${r.pair_key} ${r.status} ${r.kind}`);

  it('gives the same customers, outcomes and review items for a stream with duplicates, merges and reviews', async () => {
    const { records } = generate({ people: 260, seed: 4242 });
    const stream = records.map(
      (r) =>
        ({
          ...r,
          sourceSystem: `${r.sourceSystem}-${run}`,
        }) as unknown as SourcePartyRecordV1,
    );
    // a few updates of records seen before, and a record sent twice, in the stream
    stream.push({ ...stream[3], observedAt: new Date(Date.now() + 1_000).toISOString() });
    stream.push({ ...stream[10] });
    const metaOf = (n: number) => ({
      eventId: randomUUID(),
      correlationId: `batch-test-${run}`,
      occurredAt: new Date(Date.UTC(2026, 0, 1, 0, 0, n)).toISOString(),
    });

    const single = one.app.get(ResolutionService);
    const sequential: ResolutionResult[] = [];
    for (let n = 0; n < stream.length; n += 1) {
      sequential.push(
        await one.dataSource.transaction((m) => single.resolve(m, stream[n], metaOf(n))),
      );
    }

    const resolver = batch.app.get(BatchResolver);
    const chunked: ResolutionResult[] = [];
    for (let start = 0; start < stream.length; start += 97) {
      const items = stream
        .slice(start, start + 97)
        .map((record, k) => ({ record, meta: metaOf(start + k) }));
      chunked.push(...(await batch.dataSource.transaction((m) => resolver.resolveMany(m, items))));
    }

    // the stream exercised every path: new, linked, merged, review
    const outcomes = new Set(sequential.map((r) => r.outcome));
    expect([...outcomes].sort()).toEqual(
      expect.arrayContaining(['linked', 'merged', 'new', 'review']),
    );
    expect(chunked.map((r) => [r.sourceKey, r.status, r.outcome])).toEqual(
      sequential.map((r) => [r.sourceKey, r.status, r.outcome]),
    );
    expect(chunked.map((r) => r.reviewItemIds.length)).toEqual(
      sequential.map((r) => r.reviewItemIds.length),
    );

    const [a, b] = [await partition(one), await partition(batch)];
    expect(b.clusters.length).toBeGreaterThan(100);
    expect(b.clusters).toEqual(a.clusters);
    expect(b.outcomes).toEqual(a.outcomes);
    expect(await reviewPairs(batch)).toEqual(await reviewPairs(one));

    // golden records agree too (names, identifiers) and every record's link was published
    const golden = async (svc: RunningService<CustomerMasterConfig>) =>
      (
        (await svc.dataSource.query(
          `SELECT c.display_name, c.birth_date::text AS birth, c.status,
             (SELECT string_agg(s.source_system || ':' || s.source_key, ' '
                ORDER BY s.source_system || ':' || s.source_key)
              FROM source_record s WHERE s.customer_id = c.id) AS refs,
             (SELECT string_agg(i.id_type || ':' || i.number, ' ' ORDER BY i.id_type || ':' || i.number)
              FROM customer_identifier i WHERE i.customer_id = c.id) AS ids
           FROM customer c WHERE c.merged_into IS NULL
             AND EXISTS (SELECT 1 FROM source_record s WHERE s.customer_id = c.id AND s.source_system LIKE $1)
           ORDER BY refs`,
          [mine],
        )) as unknown[]
      ).map((r) => JSON.stringify(r));
    expect(await golden(batch)).toEqual(await golden(one));
    const linkedEvents = async (svc: RunningService<CustomerMasterConfig>) =>
      Number(
        (
          (await svc.dataSource.query(
            'SELECT count(DISTINCT aggregateid)::int AS n FROM outbox WHERE topic = $1 AND aggregateid LIKE $2',
            [SourceRecordLinkedV1.topic, `%-${run}:%`],
          )) as { n: number }[]
        )[0].n,
      );
    expect(await linkedEvents(batch)).toBe(await linkedEvents(one));
  });

  it('defers the records whose blocking keys another transaction holds (and later records sharing their keys), and resolves them the same afterwards', async () => {
    const system = `deferral-${run}`;
    const person = (n: number, id: string, phone: string): SourcePartyRecordV1 => ({
      sourceSystem: system,
      sourceKey: `K-${n}`,
      partyType: 'individual',
      name: uniqueHanName().name,
      idType: 'CN_RESIDENT_ID',
      idNumber: id,
      phone,
    });
    const shared = residentId(randomBirth());
    const held = person(1, shared, randomMobile());
    // 2 and 4 are other people; 3 is the person of 1 (same ID number) from another record
    const stream = [
      held,
      person(2, residentId(randomBirth()), randomMobile()),
      { ...person(3, shared, randomMobile()), name: held.name },
      person(4, residentId(randomBirth()), randomMobile()),
    ];
    const items = stream.map((record, n) => ({
      record,
      meta: {
        eventId: randomUUID(),
        correlationId: `deferral-${run}`,
        occurredAt: new Date(Date.UTC(2026, 0, 2, 0, 0, n)).toISOString(),
      },
    }));
    const resolver = batch.app.get(BatchResolver);

    // another consumer's chunk holds the blocking keys of record 1 until it commits
    const holder = batch.dataSource.createQueryRunner();
    await holder.connect();
    await holder.startTransaction();
    const keys = blockingKeys(extractFeatures(held) as Features).map(keyHash);
    await holder.query('SELECT pg_advisory_xact_lock(h) FROM unnest($1::bigint[]) AS h', [keys]);
    const deferred: string[] = [];
    let first: ResolutionResult[];
    try {
      first = await batch.dataSource.transaction((m) =>
        resolver.resolveMany(m, items, (ids) => deferred.push(...ids)),
      );
    } finally {
      await holder.rollbackTransaction();
      await holder.release();
    }
    expect(deferred).toEqual([items[0].meta.eventId, items[2].meta.eventId]);
    expect(first.map((r) => [r.sourceKey, r.outcome])).toEqual([
      ['K-2', 'new'],
      ['K-4', 'new'],
    ]);

    // the follow-up transaction waits for the keys, and links 3 to 1
    const later = await batch.dataSource.transaction((m) =>
      resolver.resolveMany(
        m,
        items.filter((i) => deferred.includes(i.meta.eventId)),
      ),
    );
    expect(later.map((r) => [r.sourceKey, r.outcome])).toEqual([
      ['K-1', 'new'],
      ['K-3', 'linked'],
    ]);
    expect(later[1].customerId).toBe(later[0].customerId);
    const customers = (await batch.dataSource.query(
      'SELECT count(DISTINCT customer_id)::int AS n FROM source_record WHERE source_system = $1',
      [system],
    )) as { n: number }[];
    expect(customers[0].n).toBe(3);
  });
});
