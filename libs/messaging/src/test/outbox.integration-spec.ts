/**
 * Transactional outbox under crashes: a producer process writes state changes and outbox rows in
 * the same transactions (held open for random times, so sequence numbers commit out of order, and
 * some rolled back) while the real OutboxRelay publishes; it is SIGKILLed between commit and
 * publish, and restarted. Every committed change must reach the topic (deduplicated by event id),
 * nothing rolled back may, and each key's events must come in version order. Then two relays on
 * one database: one leader at a time, and the other takes over when the leader is killed.
 */
import { Kafka, logLevel } from 'kafkajs';
import type { DataSource } from 'typeorm';

import { OutboxRelay } from '../outbox/outbox-relay';
import { probeEvent } from './fixtures/probe';
import {
  createFixtureDatabase,
  createTopics,
  deleteTopics,
  dropFixtureDatabase,
  metricValue,
  readTopic,
  report,
  sleep,
  startFixture,
  testKafka,
  uniqueSuffix,
  waitFor,
  type ConsumedMessage,
  type FixtureProcess,
} from './support';

const PARTITIONS = 3;

interface Published {
  ids: Set<string>;
  copies: number;
  messages: ConsumedMessage[];
}

describe('transactional outbox and relay under SIGKILL', () => {
  const suffix = uniqueSuffix();
  const probe = probeEvent(`probe-outbox-${suffix}`, PARTITIONS);
  let kafka: Kafka;
  const relays: OutboxRelay[] = [];
  const databases: { url: string; db: DataSource }[] = [];
  const processes: FixtureProcess[] = [];

  beforeAll(async () => {
    kafka = testKafka();
    await createTopics(kafka, [{ topic: probe.topic, partitions: PARTITIONS }]);
  });

  afterAll(async () => {
    await Promise.all(relays.map((r) => r.stop()));
    await Promise.all(processes.map((p) => p.killAndWait('SIGKILL')));
    for (const { url, db } of databases) await dropFixtureDatabase(url, db);
    if (kafka) await deleteTopics(kafka, [probe.topic]);
  });

  const newDatabase = async (name: string) => {
    const created = await createFixtureDatabase(name);
    databases.push(created);
    return created;
  };

  const start = (url: string, env: Record<string, string>, name: string) => {
    const p = startFixture(
      'outbox-app.ts',
      {
        DATABASE_URL: url,
        PROBE_AGGREGATE: probe.aggregate,
        PROBE_PARTITIONS: String(PARTITIONS),
        ...env,
      },
      name,
    );
    processes.push(p);
    return p;
  };

  const unpublished = async (db: DataSource) =>
    Number(
      (
        (await db.query('SELECT count(*)::int AS n FROM outbox WHERE published_at IS NULL')) as {
          n: number;
        }[]
      )[0].n,
    );

  /** Reads the topic until every event id of this database's outbox is there. */
  const readPublished = async (db: DataSource): Promise<Published> => {
    const wanted = new Set(
      ((await db.query('SELECT id FROM outbox')) as { id: string }[]).map((r) => r.id),
    );
    const ids = new Set<string>();
    const messages = await readTopic(
      kafka,
      probe.topic,
      (ms) => {
        const m = ms[ms.length - 1];
        const id = m.headers['event-id'];
        if (id && wanted.has(id)) ids.add(id);
        return ids.size === wanted.size;
      },
      60_000,
    );
    const mine = messages.filter((m) => wanted.has(m.headers['event-id']));
    return { ids, copies: mine.length - ids.size, messages: mine };
  };

  it('publishes every committed change exactly as committed, nothing rolled back, across SIGKILLs', async () => {
    const { url, db } = await newDatabase('outbox');
    const rolledBack = new Set<string>();
    const collectRollbacks = (p: FixtureProcess) =>
      p.onLine((l) => {
        if (l.t === 'rolledback') rolledBack.add(String(l.id));
      });
    const kills: { unpublishedAtKill: number; runMs: number }[] = [];

    // 1. the relay is off: 200 changes commit, then SIGKILL before any is published
    const first = start(url, { RELAY: 'off', WRITES: '200' }, 'writer-no-relay');
    collectRollbacks(first);
    await first.line('writes');
    await first.killAndWait('SIGKILL');
    const committedBeforeRelay = await unpublished(db);
    expect(committedBeforeRelay).toBeGreaterThan(100);
    kills.push({ unpublishedAtKill: committedBeforeRelay, runMs: 0 });

    // 2. writers and relay together, SIGKILLed at random moments
    let metrics = '';
    for (let i = 0; i < 6; i += 1) {
      const p = start(url, { RELAY: 'on', HOLD_MAX_MS: '40' }, `writer-relay-${i}`);
      collectRollbacks(p);
      await p.line('relay', (l) => l.leader === true);
      const runMs = 600 + Math.floor(Math.random() * 1_500);
      await sleep(runMs);
      if (i === 0) {
        const port = Number((await p.line('listening')).port);
        metrics = await (await fetch(`http://127.0.0.1:${port}/metrics`)).text();
      }
      await p.killAndWait('SIGKILL');
      kills.push({ unpublishedAtKill: await unpublished(db), runMs });
    }
    // SIGKILLs between commit and publish happened: committed rows were left unpublished
    expect(kills.filter((k) => k.unpublishedAtKill > 0).length).toBeGreaterThanOrEqual(2);

    // 3. a last run with no writes drains what is left
    const drain = start(url, { RELAY: 'on', WRITES: '0' }, 'drain');
    await waitFor(async () => ((await unpublished(db)) === 0 ? true : undefined), {
      timeoutMs: 30_000,
      what: 'the outbox to drain',
    });
    await drain.killAndWait('SIGTERM');

    const changes: { key: string; version: number; event_id: string }[] = await db.query(
      'SELECT key, version, event_id FROM account_changes',
    );
    const outboxRows: { id: string; seq: string; aggregateid: string }[] = await db.query(
      'SELECT id, seq::text, aggregateid FROM outbox ORDER BY seq',
    );
    // state and events committed together, or not at all
    expect(new Set(outboxRows.map((r) => r.id))).toEqual(new Set(changes.map((c) => c.event_id)));
    for (const id of rolledBack) expect(outboxRows.some((r) => r.id === id)).toBe(false);

    const published = await readPublished(db);
    expect(published.ids).toEqual(new Set(outboxRows.map((r) => r.id)));
    const topicIds = new Set(
      (await readTopic(kafka, probe.topic, () => false, 3_000)).map((m) => m.headers['event-id']),
    );
    const rolledBackPublished = [...rolledBack].filter((id) => topicIds.has(id)).length;
    expect(rolledBackPublished).toBe(0);

    // per key: first occurrences in topic order are versions 1..n, ascending
    const versions = new Map<string, number[]>();
    const seen = new Set<string>();
    for (const m of published.messages) {
      const id = m.headers['event-id'];
      if (seen.has(id)) continue;
      seen.add(id);
      const envelope = JSON.parse(m.value ?? '{}') as { subject: string; subjectVersion: number };
      expect(m.key).toBe(envelope.subject);
      const list = versions.get(envelope.subject) ?? [];
      list.push(envelope.subjectVersion);
      versions.set(envelope.subject, list);
    }
    const accounts: { key: string; version: number }[] = await db.query(
      'SELECT key, version FROM accounts',
    );
    for (const { key, version } of accounts) {
      expect(versions.get(key)).toEqual(Array.from({ length: version }, (_, i) => i + 1));
    }

    // commits out of sequence order did happen, and were published all the same
    const seqOf = new Map(outboxRows.map((r) => [r.id, BigInt(r.seq)]));
    let outOfSeqOrder = 0;
    const maxSeqByPartition = new Map<number, bigint>();
    for (const m of published.messages) {
      const seq = seqOf.get(m.headers['event-id'])!;
      const max = maxSeqByPartition.get(m.partition) ?? -1n;
      if (seq < max) outOfSeqOrder += 1;
      else maxSeqByPartition.set(m.partition, seq);
    }
    expect(outOfSeqOrder).toBeGreaterThan(0);

    const topic = probe.topic;
    expect(metricValue(metrics, 'bankcrm_outbox_published_total', { topic })).toBeGreaterThan(0);
    expect(metricValue(metrics, 'bankcrm_outbox_publish_latency_seconds_count')).toBeGreaterThan(0);
    expect(metricValue(metrics, 'bankcrm_outbox_relay_leader')).toBe(1);
    expect(metrics).toContain('bankcrm_outbox_backlog');

    report('messaging-outbox', {
      committedChanges: changes.length,
      published: published.ids.size,
      missing: outboxRows.length - published.ids.size,
      republishedCopies: published.copies,
      rolledBack: rolledBack.size,
      rolledBackPublished,
      kills: kills.length,
      killsWithCommittedButUnpublishedRows: kills.filter((k) => k.unpublishedAtKill > 0).length,
      unpublishedAtKill: kills.map((k) => k.unpublishedAtKill),
      publishedAfterALaterSeq: outOfSeqOrder,
      keys: accounts.length,
    });
  });

  it('runs one relay per database: the other replica takes over when the leader is killed', async () => {
    const { url, db } = await newDatabase('outbox_leader');
    const advisoryLocks = async () =>
      Number(
        (
          (await db.query(
            `SELECT count(*)::int AS n FROM pg_locks l JOIN pg_database d ON d.oid = l.database
            WHERE l.locktype = 'advisory' AND l.granted AND d.datname = current_database()`,
          )) as { n: number }[]
        )[0].n,
      );
    const leaderNow = (p: FixtureProcess) =>
      [...p.lines].reverse().find((l) => l.t === 'relay')?.leader === true && !p.exited;

    const a = start(url, { RELAY: 'on', KEYS: '10', HOLD_MAX_MS: '10' }, 'replica-a');
    await a.line('relay', (l) => l.leader === true);
    const b = start(url, { RELAY: 'on', WRITES: '0' }, 'replica-b');
    await b.line('listening');

    // for 3 s: exactly one leader, one advisory lock
    let samples = 0;
    for (const until = Date.now() + 3_000; Date.now() < until; samples += 1) {
      expect([leaderNow(a), leaderNow(b)]).toEqual([true, false]);
      await sleep(50);
    }
    expect(await advisoryLocks()).toBe(1);

    const killedAt = Date.now();
    await a.killAndWait('SIGKILL');
    const takeover = await b.line('relay', (l) => l.leader === true, 15_000);
    const takeoverMs = takeover.at - killedAt;

    // the old leader comes back: it must not lead while the new one lives
    const a2 = start(url, { RELAY: 'on', WRITES: '0' }, 'replica-a-restarted');
    await a2.line('listening');
    await sleep(2_500); // longer than a follower's lock retry interval (2 s)
    expect([leaderNow(b), leaderNow(a2)]).toEqual([true, false]);
    expect(await advisoryLocks()).toBe(1);

    // the new leader published everything the killed one had committed
    await waitFor(async () => ((await unpublished(db)) === 0 ? true : undefined), {
      timeoutMs: 30_000,
      what: 'the new leader to drain the outbox',
    });
    const committed = Number(
      ((await db.query('SELECT count(*)::int AS n FROM outbox')) as { n: number }[])[0].n,
    );
    const published = await readPublished(db);
    expect(published.ids.size).toBe(committed);
    await Promise.all([b.killAndWait('SIGTERM'), a2.killAndWait('SIGTERM')]);

    report('messaging-outbox-leader', {
      samplesWithOneLeader: samples,
      takeoverMs,
      committed,
      published: published.ids.size,
    });
    expect(takeoverMs).toBeLessThan(5_000);
  });

  it('does not keep the leader lock while Kafka is unreachable, so another replica can lead', async () => {
    const { url, db } = await newDatabase('outbox_lock');
    const silent = { log: () => undefined, warn: () => undefined, error: () => undefined };
    const unreachable = new Kafka({
      clientId: 'unreachable',
      brokers: ['127.0.0.1:1'],
      connectionTimeout: 300,
      retry: { retries: 0 },
      logLevel: logLevel.NOTHING,
    });
    const broken = new OutboxRelay({
      databaseUrl: url,
      serviceName: 'service',
      kafka: unreachable,
      logger: silent,
      pollIntervalMs: 200,
    });
    relays.push(broken);
    broken.start();
    await waitFor(() => broken.status().lastError ?? undefined, {
      what: 'the relay to fail to connect to Kafka',
    });
    const healthy = new OutboxRelay({
      databaseUrl: url,
      serviceName: 'service',
      kafka,
      logger: silent,
      pollIntervalMs: 200,
    });
    relays.push(healthy);
    healthy.start();
    await waitFor(() => (healthy.status().leader ? true : undefined), {
      timeoutMs: 15_000,
      what: 'the healthy relay to become the leader',
    });
    expect(broken.status().leader).toBe(false);
    await Promise.all([broken.stop(), healthy.stop()]);
    const [{ n }] = (await db.query(
      `SELECT count(*)::int AS n FROM pg_locks l JOIN pg_database d ON d.oid = l.database
        WHERE l.locktype = 'advisory' AND d.datname = current_database()`,
    )) as { n: number }[];
    expect(n).toBe(0);
  });

  it('by default deletes what Kafka acknowledged, and vacuums the outbox once it has published enough rows since the last vacuum', async () => {
    const { url, db } = await newDatabase('outbox_vacuum');
    const silent = { log: () => undefined, warn: () => undefined, error: () => undefined };
    await db.query(
      `INSERT INTO outbox (id, aggregatetype, aggregateid, type, topic, payload)
       SELECT md5('v' || i)::uuid, 'probe', 'vac-' || (i % 7), 'probe', $1,
              json_build_object('seq', i)
         FROM generate_series(1, 250) AS i`,
      [probe.topic],
    );
    const rows = async () =>
      ((await db.query('SELECT count(*)::int AS n FROM outbox')) as { n: number }[])[0].n;
    const vacuums = async () =>
      Number(
        (
          (await db.query(
            `SELECT vacuum_count AS n FROM pg_stat_user_tables WHERE relname = 'outbox'`,
          )) as { n: string }[]
        )[0].n,
      );
    expect(await vacuums()).toBe(0);
    const relay = new OutboxRelay({
      databaseUrl: url,
      serviceName: 'service',
      kafka,
      logger: silent,
      pollIntervalMs: 200,
      cleanupIntervalMs: 0,
      vacuumAfterPublished: 200,
    });
    relays.push(relay);
    relay.start();
    // every row published, and gone from the outbox (no retention unless asked for)
    const messages = await readTopic(
      kafka,
      probe.topic,
      (ms) => ms.filter((m) => m.key?.startsWith('vac-')).length >= 250,
    );
    const seqs = new Set(
      messages
        .filter((m) => m.key?.startsWith('vac-'))
        .map((m) => (JSON.parse(m.value ?? '{}') as { seq: number }).seq),
    );
    expect(seqs.size).toBe(250);
    await waitFor(async () => ((await rows()) === 0 ? true : undefined), {
      what: 'the relay to delete the published rows',
    });
    await waitFor(async () => ((await vacuums()) > 0 ? true : undefined), {
      what: 'the relay to vacuum the outbox',
    });
    await relay.stop();
    // not again before another 200 rows are published
    const after = await vacuums();
    relay.start();
    await sleep(1_000);
    await relay.stop();
    expect(await vacuums()).toBe(after);
  });
});
