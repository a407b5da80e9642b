import { randomUUID } from 'node:crypto';

import { SourcePartyRecordedV1, type SourcePartyRecordV1 } from '@bank-crm/contracts';
import {
  closeTestKafka,
  makeEnvelope,
  produce,
  startTestService,
  testKafka,
  waitFor,
  type RunningService,
} from '@bank-crm/testing';
import { AssignerProtocol } from 'kafkajs';
import * as OpenCC from 'opencc-js';

import type { CustomerMasterConfig } from '../config/customer-master.config';
import { customerMasterService } from '../service-definition';
import { randomBirth, randomMobile, residentId, uniqueHanName } from './fixtures';

const PEOPLE = 150;
const TWINS = 20;

/**
 * Two customer-master replicas (one database, one consumer group) resolve a burst of records in
 * which every person appears twice, from two systems, the two records keyed differently so they
 * land on different partitions and are resolved at the same moment by different replicas. Without
 * the blocking-key locks both would find nothing and create a customer each, and nothing would
 * ever join them.
 */
describe('identity resolution on two replicas at once (real PostgreSQL and Kafka)', () => {
  let one: RunningService<CustomerMasterConfig>;
  let two: RunningService<CustomerMasterConfig>;
  const run = randomUUID().slice(0, 8);
  const core = `core-banking-${run}`;
  const cards = `cards-${run}`;

  beforeAll(async () => {
    one = await startTestService(customerMasterService, { KAFKA_CONSUMER_CONCURRENCY: '3' });
    two = await startTestService(customerMasterService, {
      DATABASE_URL: one.databaseUrl,
      KAFKA_GROUP_ID: one.config.KAFKA_GROUP_ID,
      KAFKA_NEW_GROUP_START_AT: '', // the group's start was set by the first replica
      KAFKA_CONSUMER_CONCURRENCY: '3',
    });
    const admin = testKafka().admin();
    await admin.connect();
    try {
      await waitFor(
        async () => {
          const { groups } = await admin.describeGroups([one.config.KAFKA_GROUP_ID]);
          const g = groups[0];
          if (g.state !== 'Stable' || g.members.length !== 2) return undefined;
          // each replica owns some partitions of the source-party topic
          const owned = g.members.map(
            (m) =>
              AssignerProtocol.MemberAssignment.decode(m.memberAssignment)?.assignment[
                SourcePartyRecordedV1.topic
              ]?.length ?? 0,
          );
          return owned.every((n) => n > 0) ? owned : undefined;
        },
        { timeoutMs: 60_000, what: 'both replicas owning source-party partitions' },
      );
    } finally {
      await admin.disconnect();
    }
  });

  afterAll(async () => {
    await two?.close();
    await one?.close();
    await closeTestKafka();
  });

  it('leaves exactly one customer per person and keeps twins apart', async () => {
    const toTraditional = OpenCC.Converter({ from: 'cn', to: 'tw' });
    const records: { person: string; record: SourcePartyRecordV1 }[] = [];
    for (let i = 0; i < PEOPLE; i += 1) {
      const { name } = uniqueHanName();
      const id = residentId(randomBirth());
      const phone = randomMobile();
      records.push(
        {
          person: `p${i}`,
          record: {
            sourceSystem: core,
            sourceKey: `CB-${i}`,
            partyType: 'individual',
            name,
            idType: 'CN_RESIDENT_ID',
            idNumber: id,
            phone,
          },
        },
        {
          person: `p${i}`,
          record: {
            sourceSystem: cards,
            sourceKey: `C-${i}`,
            partyType: 'individual',
            name: toTraditional(name).split('').join(' '),
            idType: 'CN_RESIDENT_ID',
            idNumber: `${id.slice(0, 6)} ${id.slice(6, 14)} ${id.slice(14).toLowerCase()}`,
            phone: `+86 ${phone}`,
          },
        },
      );
    }
    // twins: one surname, one birth date, one address, one phone; different ids and given names
    for (let i = 0; i < TWINS; i += 1) {
      const birth = randomBirth();
      const a = uniqueHanName();
      const b = uniqueHanName();
      const phone = randomMobile();
      const address = `上海市徐汇区漕溪北路${100 + i}号${i + 1}栋${i + 2}单元${i + 3}01室`;
      for (const [k, given] of [a.given, b.given].entries()) {
        records.push({
          person: `t${i}-${k}`,
          record: {
            sourceSystem: k === 0 ? core : cards,
            sourceKey: `T-${i}-${k}`,
            partyType: 'individual',
            name: a.surname + given,
            idType: 'CN_RESIDENT_ID',
            idNumber: residentId(birth),
            birthDate: `${birth.slice(0, 4)}-${birth.slice(4, 6)}-${birth.slice(6)}`,
            phone,
            address,
          },
        });
      }
    }
    await produce(
      SourcePartyRecordedV1.topic,
      records.map(({ record }) => {
        const key = `${record.sourceSystem}:${record.sourceKey}`;
        return {
          key,
          value: JSON.stringify(makeEnvelope(SourcePartyRecordedV1, record, { subject: key })),
        };
      }),
    );

    const rows = await waitFor(
      async () => {
        const r = (await one.dataSource.query(
          `SELECT source_system, source_key, customer_id FROM source_record
           WHERE source_system IN ($1, $2) AND resolution_status = 'resolved'`,
          [core, cards],
        )) as { source_system: string; source_key: string; customer_id: string }[];
        return r.length === records.length ? r : undefined;
      },
      { timeoutMs: 120_000, what: `all ${records.length} records resolved` },
    );
    const customerOf = new Map(
      rows.map((r) => [`${r.source_system}:${r.source_key}`, r.customer_id]),
    );
    const perPerson = new Map<string, Set<string>>();
    for (const { person, record } of records) {
      const set = perPerson.get(person) ?? new Set<string>();
      set.add(customerOf.get(`${record.sourceSystem}:${record.sourceKey}`) ?? 'missing');
      perPerson.set(person, set);
    }
    const split = [...perPerson.entries()].filter(([, s]) => s.size !== 1).map(([p]) => p);
    expect(split).toEqual([]);
    const customers = new Set(rows.map((r) => r.customer_id));
    expect(customers.size).toBe(PEOPLE + 2 * TWINS);
    const [{ live }] = (await one.dataSource.query(
      'SELECT count(*)::int AS live FROM customer WHERE merged_into IS NULL',
    )) as { live: number }[];
    expect(live).toBe(PEOPLE + 2 * TWINS);
  });
});
