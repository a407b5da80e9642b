import { randomUUID } from 'node:crypto';

import {
  AccountBalanceChangedV1,
  AccountHolderLinkedV1,
  AccountHolderUnlinkedV1,
  SourceAccountBalanceRecordedV1,
  SourceAccountRecordedV1,
  SourceRecordLinkedV1,
  type AccountBalanceChangedV1Payload,
  type AccountHolderLinkedV1Payload,
  type AccountHolderUnlinkedV1Payload,
  type EventEnvelope,
  type SourceAccountBalanceV1,
  type SourceAccountRecordV1,
  type SourceRecordLinkedV1Payload,
} from '@bank-crm/contracts';
import {
  closeTestKafka,
  makeEnvelope,
  produce,
  readTopic,
  startTestService,
  waitFor,
  type RunningService,
} from '@bank-crm/testing';

import type { AccountBridgeConfig } from '../config/account-bridge.config';
import { accountBridgeService } from '../service-definition';
import { readMatching, uniqueSystem } from './account-fixtures';

const ACCOUNTS = 60;
const ROUNDS = 3;

/** Chunks rolled back and retried one message per transaction, per topic, from /metrics. */
async function chunkFallbacks(url: string, topic: string): Promise<number> {
  const text = await (await fetch(`${url}/metrics`)).text();
  let total = 0;
  for (const line of text.split('\n')) {
    if (
      line.startsWith('bankcrm_consumer_chunk_fallbacks_total{') &&
      line.includes(`topic="${topic}"`)
    )
      total += Number(line.slice(line.lastIndexOf(' ') + 1));
  }
  return total;
}

describe('account-bridge inbound chunks (real PostgreSQL and Kafka)', () => {
  let svc: RunningService<AccountBridgeConfig>;

  beforeAll(async () => {
    svc = await startTestService(accountBridgeService);
  });

  afterAll(async () => {
    await svc?.close();
    await closeTestKafka();
  });

  it('applies chunks of records, balance updates and links that touch the same accounts and parties in opposite orders, side by side, without a deadlock or a lost update; every event names the message that caused it', async () => {
    const system = uniqueSystem('core');
    const key = (i: number) => `ACC-${String(i).padStart(3, '0')}`;
    const party = (i: number) => `P-${String(i % ACCOUNTS).padStart(3, '0')}`;
    const customers = Array.from({ length: ACCOUNTS }, () => randomUUID());
    // every account has two holders, each party holds two accounts: chunks share party locks too
    const record = (i: number, round: number): SourceAccountRecordV1 => ({
      ...SourceAccountRecordedV1.example,
      sourceSystem: system,
      sourceKey: key(i),
      accountNumber: `62220202${String(10_000_000 + i)}`,
      balance: '100.00',
      availableBalance: '100.00',
      balanceAsOf: '2026-11-01T00:00:00.000Z',
      branch: `BR-${round}`,
      holders: [
        { sourceKey: party(i), role: 'primary-holder' },
        { sourceKey: party(i + 1), role: 'joint-holder' },
      ],
      observedAt: new Date(Date.UTC(2026, 10, 1, round)).toISOString(),
    });
    const balance = (i: number, round: number): SourceAccountBalanceV1 => ({
      sourceSystem: system,
      sourceKey: key(i),
      currency: 'CNY',
      balance: `${1000 * (round + 1) + i}.00`,
      balanceAsOf: new Date(Date.UTC(2026, 10, 2, round)).toISOString(),
    });
    // one message key per topic: each topic's messages land on one partition, in one chunk
    const send = async (topic: string, envelopes: EventEnvelope[]) =>
      produce(
        topic,
        envelopes.map((e) => ({ key: system, value: JSON.stringify(e) })),
      );

    const balanceEventIds = new Map<string, Set<string>>();
    const before = {
      records: await chunkFallbacks(svc.url, SourceAccountRecordedV1.topic),
      balances: await chunkFallbacks(svc.url, SourceAccountBalanceRecordedV1.topic),
      links: await chunkFallbacks(svc.url, SourceRecordLinkedV1.topic),
    };
    for (let round = 0; round < ROUNDS; round += 1) {
      const records = Array.from({ length: ACCOUNTS }, (_, i) =>
        makeEnvelope(SourceAccountRecordedV1, record(i, round)),
      );
      // balances and links go the other way round
      const balances = Array.from({ length: ACCOUNTS }, (_, j) => {
        const i = ACCOUNTS - 1 - j;
        const envelope = makeEnvelope(SourceAccountBalanceRecordedV1, balance(i, round));
        const ids = balanceEventIds.get(key(i)) ?? new Set<string>();
        ids.add(envelope.id);
        balanceEventIds.set(key(i), ids);
        return envelope;
      });
      const links = Array.from({ length: ACCOUNTS }, (_, j) => {
        const i = ACCOUNTS - 1 - j;
        return makeEnvelope<SourceRecordLinkedV1Payload>(SourceRecordLinkedV1, {
          sourceSystem: system,
          sourceKey: party(i),
          customerId: customers[i],
          linkedAt: new Date(Date.UTC(2026, 10, 3, round)).toISOString(),
        });
      });
      await Promise.all([
        send(SourceAccountRecordedV1.topic, records),
        send(SourceAccountBalanceRecordedV1.topic, balances),
        send(SourceRecordLinkedV1.topic, links),
      ]);
    }

    // the last round wins everywhere: its branch (records) and its balance (updates)
    const final = await waitFor(
      async () => {
        const rows: { key: string; branch: string; balance: string; id: string }[] =
          await svc.dataSource.query(
            `SELECT source_key AS key, branch, balance::text AS balance, id FROM account
              WHERE source_system = $1 ORDER BY source_key`,
            [system],
          );
        const done =
          rows.length === ACCOUNTS &&
          rows.every(
            (r, i) =>
              r.branch === `BR-${ROUNDS - 1}` &&
              Number(r.balance) === Number(balance(i, ROUNDS - 1).balance),
          );
        return done ? rows : undefined;
      },
      { timeoutMs: 60_000, what: 'the last round applied to every account' },
    );
    // links come on their own topic, so they may land after the records and balances: wait for
    // them too (a lost link never gets here and fails the wait)
    const linkedParties = async () => {
      const linked: { n: string }[] = await svc.dataSource.query(
        'SELECT count(*) AS n FROM party_customer WHERE source_system = $1',
        [system],
      );
      return Number(linked[0].n);
    };
    await waitFor(async () => ((await linkedParties()) >= ACCOUNTS ? true : undefined), {
      timeoutMs: 60_000,
      what: 'every party linked to its customer',
    });
    expect(await linkedParties()).toBe(ACCOUNTS);

    // no chunk of any of the three topics was rolled back (a deadlock rolls one back)
    expect(await chunkFallbacks(svc.url, SourceAccountRecordedV1.topic)).toBe(before.records);
    expect(await chunkFallbacks(svc.url, SourceAccountBalanceRecordedV1.topic)).toBe(
      before.balances,
    );
    expect(await chunkFallbacks(svc.url, SourceRecordLinkedV1.topic)).toBe(before.links);

    // a balance event of a chunk carries its own message's id as causation (its account's update),
    // not the chunk's first message's
    const keyOf = new Map(final.map((r) => [r.id, r.key]));
    const changes: EventEnvelope<{ accountId: string }>[] = [];
    await readTopic(
      AccountBalanceChangedV1.topic,
      (messages) => {
        changes.length = 0;
        for (const m of messages) {
          const e = JSON.parse(m.value ?? '{}') as EventEnvelope<{ accountId: string }>;
          if (keyOf.has(e.payload.accountId)) changes.push(e);
        }
        // every account's balance moved in each round past the threshold: at least one per round
        return changes.length >= ACCOUNTS;
      },
      30_000,
    );
    for (const e of changes) {
      expect(balanceEventIds.get(keyOf.get(e.payload.accountId)!)!.has(e.causationId!)).toBe(true);
    }
  });

  it('applies a chunk of links in its order: a party moved twice ends on its newest customer, a stale link changes nothing, and every move names its own message', async () => {
    const system = uniqueSystem('core');
    const [first, second, staleTarget, other] = Array.from({ length: 4 }, () => randomUUID());
    await produce(SourceAccountRecordedV1.topic, [
      {
        key: system,
        value: JSON.stringify(
          makeEnvelope(SourceAccountRecordedV1, {
            ...SourceAccountRecordedV1.example,
            sourceSystem: system,
            sourceKey: 'ACC-1',
            accountNumber: '6222020210000001',
            holders: [{ sourceKey: 'P-1', role: 'primary-holder' }],
          }),
        ),
      },
    ]);
    const account = await waitFor(
      async () => {
        const [row]: { id: string }[] = await svc.dataSource.query(
          'SELECT id FROM account WHERE source_system = $1',
          [system],
        );
        return row;
      },
      { what: 'the account', timeoutMs: 60_000 },
    );
    const link = (sourceKey: string, customerId: string, hour: number) =>
      makeEnvelope<SourceRecordLinkedV1Payload>(SourceRecordLinkedV1, {
        sourceSystem: system,
        sourceKey,
        customerId,
        linkedAt: new Date(Date.UTC(2026, 10, 3, hour)).toISOString(),
      });
    // one message key: one partition, in this order (most likely one chunk)
    const links = [
      link('P-1', first, 1),
      link('P-2', other, 1),
      link('P-1', second, 3),
      link('P-1', staleTarget, 2),
    ];
    await produce(
      SourceRecordLinkedV1.topic,
      links.map((e) => ({ key: system, value: JSON.stringify(e) })),
    );
    const final = await waitFor(
      async () => {
        const rows: { key: string; customerId: string }[] = await svc.dataSource.query(
          `SELECT source_key AS key, customer_id AS "customerId" FROM party_customer
            WHERE source_system = $1 ORDER BY source_key`,
          [system],
        );
        return rows.length === 2 && rows[0].customerId === second ? rows : undefined;
      },
      { what: 'both parties linked, P-1 to its newest customer', timeoutMs: 60_000 },
    );
    expect(final).toEqual([
      { key: 'P-1', customerId: second },
      { key: 'P-2', customerId: other },
    ]);

    // the account followed P-1: linked to the first customer, then moved to the second, each by
    // its own message; never to the stale link's customer
    const linked = await readMatching<AccountHolderLinkedV1Payload>(
      AccountHolderLinkedV1.topic,
      (l) => l.accountId === account.id,
      (found) => found.length >= 2,
      60_000,
    );
    expect(linked.map((l) => [l.customerId, l.cause])).toEqual([
      [first, 'customer-resolved'],
      [second, 'customer-resolved'],
    ]);
    const unlinked = await readMatching<AccountHolderUnlinkedV1Payload>(
      AccountHolderUnlinkedV1.topic,
      (l) => l.accountId === account.id,
      (found) => found.length >= 1,
      60_000,
    );
    expect(unlinked.map((l) => l.customerId)).toEqual([first]);
    const causes: string[] = [];
    await readTopic(
      AccountHolderLinkedV1.topic,
      (messages) => {
        causes.length = 0;
        for (const m of messages) {
          const e = JSON.parse(m.value ?? '{}') as EventEnvelope<AccountHolderLinkedV1Payload>;
          if (e.payload.accountId === account.id) causes.push(e.causationId ?? '');
        }
        return causes.length >= 2;
      },
      60_000,
    );
    expect(causes).toEqual([links[0].id, links[2].id]);
  });

  it('applies a chunk of balance updates in its order: an account updated twice publishes both moves, an update of an account not there yet waits for it (the newest one), an older one changes nothing', async () => {
    const system = uniqueSystem('core');
    const asOf = (day: number) => new Date(Date.UTC(2026, 10, day)).toISOString();
    const accountRecord = (sourceKey: string, balance: string, day: number) =>
      makeEnvelope(SourceAccountRecordedV1, {
        ...SourceAccountRecordedV1.example,
        sourceSystem: system,
        sourceKey,
        accountNumber: `62220202${sourceKey === 'Y' ? '20000001' : '20000002'}`,
        balance,
        availableBalance: balance,
        balanceAsOf: asOf(day),
        currency: 'CNY',
        holders: [{ sourceKey: `P-${sourceKey}`, role: 'primary-holder' }],
        observedAt: asOf(day),
      });
    const accountOf = (sourceKey: string) =>
      waitFor(
        async () => {
          const [row]: { id: string; balance: string; version: number }[] =
            await svc.dataSource.query(
              `SELECT id, balance::text AS balance, version FROM account
                WHERE source_system = $1 AND source_key = $2`,
              [system, sourceKey],
            );
          return row;
        },
        { what: `account ${sourceKey}`, timeoutMs: 60_000 },
      );
    await produce(SourceAccountRecordedV1.topic, [
      { key: system, value: JSON.stringify(accountRecord('Y', '100.00', 1)) },
    ]);
    const y = await accountOf('Y');
    const update = (sourceKey: string, balance: string, day: number) =>
      makeEnvelope(SourceAccountBalanceRecordedV1, {
        sourceSystem: system,
        sourceKey,
        currency: 'CNY',
        balance,
        balanceAsOf: asOf(day),
      });
    const updates = [
      update('X', '200.00', 3),
      update('X', '100.00', 2), // older than the first: ignored
      update('Y', '5000.00', 2),
      update('X', '300.00', 4), // the newest of X: kept until X arrives
      update('Y', '9000.00', 3),
    ];
    await produce(
      SourceAccountBalanceRecordedV1.topic,
      updates.map((e) => ({ key: system, value: JSON.stringify(e) })),
    );
    const moved = await waitFor(
      async () => {
        const [row]: { balance: string; version: number }[] = await svc.dataSource.query(
          'SELECT balance::text AS balance, version FROM account WHERE id = $1',
          [y.id],
        );
        return Number(row.balance) === 9000 ? row : undefined;
      },
      { what: 'both updates of Y applied', timeoutMs: 60_000 },
    );
    expect(moved.version).toBe(y.version + 2);
    const changes = await readMatching<AccountBalanceChangedV1Payload>(
      AccountBalanceChangedV1.topic,
      (c) => c.accountId === y.id,
      (found) => found.length >= 2,
      60_000,
    );
    expect(changes.map((c) => [Number(c.previousBalance), Number(c.delta)])).toEqual([
      [100, 4900],
      [5000, 4000],
    ]);
    const [pending]: { balance: string }[] = await svc.dataSource.query(
      `SELECT update->>'balance' AS balance FROM pending_balance
        WHERE source_system = $1 AND source_key = 'X'`,
      [system],
    );
    expect(pending).toEqual({ balance: '300.00' });

    // X arrives with a balance taken before the pending update's: the pending one wins
    await produce(SourceAccountRecordedV1.topic, [
      { key: system, value: JSON.stringify(accountRecord('X', '50.00', 1)) },
    ]);
    const x = await accountOf('X');
    expect(Number(x.balance)).toBe(300);
    const left: { n: string }[] = await svc.dataSource.query(
      'SELECT count(*) AS n FROM pending_balance WHERE source_system = $1',
      [system],
    );
    expect(Number(left[0].n)).toBe(0);
  });
});
