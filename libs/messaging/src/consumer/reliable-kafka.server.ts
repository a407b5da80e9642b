import {
  DEAD_LETTER_HEADERS,
  deadLetterTopic,
  describeErrors,
  restrictedDeadLetterTopic,
  eventDefinitionForTopic,
  validateEnvelope,
  type DeadLetterReason,
  type EventDefinition,
  type EventEnvelope,
  type ServiceName,
} from '@bank-crm/contracts';
import { Server, type CustomTransportStrategy } from '@nestjs/microservices';
import type {
  Admin,
  Consumer,
  EachBatchPayload,
  EachMessagePayload,
  Kafka,
  KafkaMessage,
  Producer,
} from 'kafkajs';
import { isObservable, lastValueFrom } from 'rxjs';
import type { DataSource, EntityManager } from 'typeorm';

import { createKafka, createProducer, type LogSink } from '../kafka/kafka-factory';
import type { KafkaSettings } from '../kafka/kafka-settings';
import { messagingMetrics } from '../messaging-metrics';
import { backoffDelay, sleep } from '../sleep';
import { ConsumerState } from './consumer-state';
import { isPermanent, KafkaEventContext, TransactionHooks } from './kafka-event-context';

export interface ReliableKafkaServerOptions {
  serviceName: ServiceName;
  settings: KafkaSettings;
  dataSource: DataSource;
  logger: LogSink;
  state?: ConsumerState;
  /** Rebuild the consumer when it has neither fetched nor heartbeated for this long (default 90 s). */
  stallTimeoutMs?: number;
  /**
   * Report the consumer as not ready (phase `stalled`) when it has had no successful fetch or
   * heartbeat for this long, e.g. while the broker is down (default 15 s).
   */
  unhealthyAfterMs?: number;
  /**
   * Event definitions consulted before the contracts registry, e.g. a throw-away event of a test.
   * Every `@EventPattern` topic must be found here or in the registry.
   */
  definitions?: readonly EventDefinition[];
  /** Where dead letters of non-restricted topics go (default: the service's `deadLetterTopic`). */
  deadLetterTopic?: string;
  /**
   * Where dead letters of restricted topics go (default: the service's
   * `restrictedDeadLetterTopic`). Never the same topic as `deadLetterTopic`.
   */
  restrictedDeadLetterTopic?: string;
  /** Consumer group session timeout (default 30 s; the broker allows 6 s at least). */
  sessionTimeoutMs?: number;
  /** Consumer group heartbeat interval (default 3 s; must be below the session timeout). */
  heartbeatIntervalMs?: number;
  /** First delay before a crashed consumer is rebuilt; doubles per failed start, capped at 30 s (default 1 s). */
  restartBackoffMs?: number;
  /** How often the consumer lag gauge is refreshed (default 15 s). */
  lagIntervalMs?: number;
}

type Outcome = 'processed' | 'duplicate' | 'stale';

const CONTEXT = 'ReliableKafkaServer';
const LAG_INTERVAL_MS = 15_000;
/** Messages committed per transaction when a batch is healthy (KafkaSettings.batchSize). */
const DEFAULT_CHUNK_SIZE = 100;

/** What NestJS's default RPC exception filter turns every unknown handler error into. */
function isNestGenericError(error: unknown): boolean {
  if (typeof error !== 'object' || error === null || error instanceof Error) return false;
  const { status, message } = error as { status?: unknown; message?: unknown };
  return status === 'error' && message === 'Internal server error';
}

function describeError(error: unknown): string {
  if (error instanceof Error) return `${error.name}: ${error.message}`;
  try {
    return JSON.stringify(error) ?? String(error);
  } catch {
    return String(error);
  }
}

/**
 * A NestJS transport for `@EventPattern(topic)` handlers on kafkajs that NestJS's own Kafka
 * transport does not give: each message is validated against its contract, processed in one
 * database transaction together with its inbox record (exactly-once effects), retried with
 * backoff while heartbeating, and parked on the service's dead-letter topic when it is invalid or
 * keeps failing, so the partition keeps moving (the restricted dead-letter topic for a restricted
 * topic's messages, which carry unmasked personal data). A crashed or stalled consumer is rebuilt.
 *
 * Restarts have one owner: this server. kafkajs's own restart-on-crash is switched off, because a
 * kafkajs restart racing with a rebuild would leave a second (zombie) consumer in the group.
 */
export class ReliableKafkaServer extends Server implements CustomTransportStrategy {
  readonly state: ConsumerState;
  private readonly kafka: Kafka;
  private readonly definitions: ReadonlyMap<string, EventDefinition>;
  private consumer: Consumer | null = null;
  private deadLetterProducer: Producer | null = null;
  private admin: Admin | null = null;
  private readonly abort = new AbortController();
  private supervisor: Promise<void> | null = null;
  private crashed: (() => void) | null = null;
  private inFlight = 0;
  private failedStarts = 0;
  private watchdogTimer: NodeJS.Timeout | null = null;
  private lagTimer: NodeJS.Timeout | null = null;
  private warnedAboutFilter = false;

  constructor(private readonly options: ReliableKafkaServerOptions) {
    super();
    this.state = options.state ?? new ConsumerState();
    this.kafka = createKafka(options.settings, options.logger);
    this.definitions = new Map((options.definitions ?? []).map((d) => [d.topic, d]));
    if (this.deadLetterTopic === this.restrictedDeadLetterTopic) {
      throw new Error(
        `the restricted dead-letter topic must differ from the dead-letter topic (${this.deadLetterTopic})`,
      );
    }
  }

  /** Topics this service consumes: one per @EventPattern handler. */
  topics(): string[] {
    return [...this.messageHandlers.keys()];
  }

  /** The contract of a topic: the `definitions` option first, then the contracts registry. */
  definitionFor(topic: string): EventDefinition | undefined {
    return this.definitions.get(topic) ?? eventDefinitionForTopic(topic);
  }

  /** The topic dead letters of non-restricted topics go to. */
  get deadLetterTopic(): string {
    return this.options.deadLetterTopic ?? deadLetterTopic(this.options.serviceName);
  }

  /** The topic dead letters of restricted topics go to. */
  get restrictedDeadLetterTopic(): string {
    return (
      this.options.restrictedDeadLetterTopic ?? restrictedDeadLetterTopic(this.options.serviceName)
    );
  }

  /**
   * Where a dead letter of `topic` goes. A dead letter is the original message, unchanged: one of
   * a restricted topic carries its unmasked personal data, so it goes to the restricted
   * dead-letter topic, never to the one every operator reads. Decided by the topic's contract,
   * whatever the reason (even an unparseable value may hold personal data).
   */
  deadLetterTopicOf(topic: string): string {
    return this.definitionFor(topic)?.restricted === true
      ? this.restrictedDeadLetterTopic
      : this.deadLetterTopic;
  }

  listen(callback: (...optionalParams: unknown[]) => unknown): void {
    for (const topic of this.topics()) {
      if (!this.definitionFor(topic)) {
        callback(
          new Error(
            `@EventPattern('${topic}') names no topic of the contracts registry (nor of the server's definitions)`,
          ),
        );
        return;
      }
    }
    this.supervisor = this.supervise();
    callback();
  }

  /** Graceful: the in-flight message finishes, its offset is committed, the group is left. */
  async close(): Promise<void> {
    this.abort.abort();
    this.crashed?.();
    this.stopTimers();
    await this.supervisor;
    this.state.phase = 'stopped';
    messagingMetrics.consumerUp.set(0);
  }

  on(): never {
    throw new Error('ReliableKafkaServer does not support event listeners; read `state` instead');
  }

  unwrap<T>(): T {
    return this.consumer as T;
  }

  private async supervise(): Promise<void> {
    const { signal } = this.abort;
    let first = true;
    while (!signal.aborted) {
      const stopped = new Promise<void>((resolve) => (this.crashed = resolve));
      try {
        this.state.phase = first ? 'connecting' : 'restarting';
        first = false;
        await this.startConsumer();
        await stopped;
      } catch (error) {
        this.state.lastError = (error as Error).message;
        this.options.logger.error(`consumer failed to start: ${(error as Error).message}`, CONTEXT);
      }
      this.stopTimers();
      messagingMetrics.consumerUp.set(0);
      if (!signal.aborted) this.state.phase = 'restarting';
      await this.stopConsumer();
      if (signal.aborted) break;
      this.state.restarts += 1;
      messagingMetrics.consumerRestarts.inc();
      // reset by a successful group join: a consumer that ran for a while restarts quickly
      this.failedStarts += 1;
      await sleep(
        Math.min(30_000, (this.options.restartBackoffMs ?? 1_000) * 2 ** (this.failedStarts - 1)),
        signal,
      );
    }
  }

  private async startConsumer(): Promise<void> {
    const { settings } = this.options;
    const consumer = this.kafka.consumer({
      groupId: settings.groupId,
      sessionTimeout: this.options.sessionTimeoutMs ?? 30_000,
      rebalanceTimeout: 60_000,
      heartbeatInterval: this.options.heartbeatIntervalMs ?? 3_000,
      allowAutoTopicCreation: false,
      maxWaitTimeInMs: 1_000,
      retry: { retries: 5, restartOnFailure: async () => false },
    });
    this.consumer = consumer;
    // events of a consumer that has been replaced must not touch the current one
    const current = () => this.consumer === consumer;
    const touch = () => {
      if (!current()) return;
      this.state.lastActivityAt = Date.now();
      if (this.state.phase === 'stalled') {
        this.state.phase = 'running';
        messagingMetrics.consumerUp.set(1);
        this.options.logger.log('consumer is fetching again', CONTEXT);
      }
    };
    this.state.lastActivityAt = Date.now();
    consumer.on(consumer.events.GROUP_JOIN, () => {
      if (!current()) return;
      touch();
      this.failedStarts = 0;
      this.state.phase = 'running';
      this.state.lastError = null;
      messagingMetrics.consumerUp.set(1);
    });
    // successful fetches and heartbeats only (FETCH_START also fires while the broker is down)
    consumer.on(consumer.events.FETCH, touch);
    consumer.on(consumer.events.HEARTBEAT, touch);
    consumer.on(consumer.events.END_BATCH_PROCESS, touch);
    consumer.on(consumer.events.CRASH, (event) => {
      if (!current()) return;
      const { error } = event.payload;
      this.state.lastError = error.message;
      this.state.phase = 'restarting';
      messagingMetrics.consumerUp.set(0);
      this.options.logger.error(`consumer crashed; rebuilding it: ${error.message}`, CONTEXT);
      this.crashed?.();
    });
    consumer.on(consumer.events.STOP, () => {
      if (!current() || this.abort.signal.aborted) return;
      this.state.phase = 'restarting';
      messagingMetrics.consumerUp.set(0);
      this.crashed?.();
    });

    this.deadLetterProducer = createProducer(this.kafka);
    await this.deadLetterProducer.connect();
    if (settings.newGroupStartAt !== undefined)
      await this.startNewGroupAt(settings.newGroupStartAt);
    await consumer.connect();
    await consumer.subscribe({ topics: this.topics(), fromBeginning: true });
    await consumer.run({
      autoCommit: true,
      partitionsConsumedConcurrently: settings.consumerConcurrency,
      eachBatchAutoResolve: false,
      eachBatch: (payload) => this.handleBatch(payload),
    });
    this.startTimers();
  }

  /**
   * A group that has never committed (every partition at -1) gets its offsets set to the first
   * message at or after `at`, before it joins; a group with history is left alone.
   */
  private async startNewGroupAt(at: number): Promise<void> {
    const { groupId } = this.options.settings;
    const admin = this.kafka.admin();
    await admin.connect();
    try {
      const committed = await admin.fetchOffsets({ groupId, topics: this.topics() });
      const fresh = committed.every((t) => t.partitions.every((p) => p.offset === '-1'));
      if (!fresh) return;
      for (const topic of this.topics()) {
        const partitions = await admin.fetchTopicOffsetsByTimestamp(topic, at);
        await admin.setOffsets({ groupId, topic, partitions });
      }
      this.options.logger.log(
        `new consumer group ${groupId} starts at ${new Date(at).toISOString()}`,
        CONTEXT,
      );
    } finally {
      await admin.disconnect();
    }
  }

  private startTimers(): void {
    this.stopTimers();
    const stallMs = this.options.stallTimeoutMs ?? 90_000;
    const unhealthyMs = this.options.unhealthyAfterMs ?? 15_000;
    this.watchdogTimer = setInterval(
      () => {
        const { phase } = this.state;
        if ((phase !== 'running' && phase !== 'stalled') || this.inFlight > 0) return;
        const idle = Date.now() - this.state.lastActivityAt;
        if (idle > stallMs) {
          // kafkajs can stop fetching without a CRASH event after some broker failures: rebuild it
          this.options.logger.warn(
            `consumer stalled (no fetch or heartbeat for ${idle} ms); rebuilding it`,
            CONTEXT,
          );
          this.state.lastError = `stalled: no fetch or heartbeat for ${idle} ms`;
          this.state.phase = 'restarting';
          this.crashed?.();
        } else if (idle > unhealthyMs && phase === 'running') {
          this.options.logger.warn(
            `consumer has had no successful fetch or heartbeat for ${idle} ms; reporting not ready`,
            CONTEXT,
          );
          this.state.phase = 'stalled';
          messagingMetrics.consumerUp.set(0);
        }
      },
      Math.max(100, Math.min(1_000, Math.floor(unhealthyMs / 4))),
    );
    this.watchdogTimer.unref();
    this.lagTimer = setInterval(() => {
      void this.recordLag().catch(() => undefined);
    }, this.options.lagIntervalMs ?? LAG_INTERVAL_MS);
    this.lagTimer.unref();
  }

  private stopTimers(): void {
    if (this.watchdogTimer) clearInterval(this.watchdogTimer);
    if (this.lagTimer) clearInterval(this.lagTimer);
    this.watchdogTimer = null;
    this.lagTimer = null;
  }

  private async recordLag(): Promise<void> {
    if (this.state.phase !== 'running') return;
    if (!this.admin) {
      const admin = this.kafka.admin();
      await admin.connect();
      this.admin = admin;
    }
    const admin = this.admin;
    const committed = await admin.fetchOffsets({
      groupId: this.options.settings.groupId,
      topics: this.topics(),
    });
    for (const { topic, partitions } of committed) {
      const ends = await admin.fetchTopicOffsets(topic);
      for (const end of ends) {
        const done = partitions.find((p) => p.partition === end.partition);
        const position = done && Number(done.offset) >= 0 ? Number(done.offset) : Number(end.low);
        messagingMetrics.consumerLag.set(
          { topic, partition: String(end.partition) },
          Math.max(0, Number(end.high) - position),
        );
      }
    }
  }

  private async stopConsumer(): Promise<void> {
    const consumer = this.consumer;
    const producer = this.deadLetterProducer;
    const admin = this.admin;
    this.consumer = null;
    this.deadLetterProducer = null;
    this.admin = null;
    // disconnect waits for the in-flight message, commits its offset and leaves the group
    await consumer?.disconnect().catch(() => undefined);
    await producer?.disconnect().catch(() => undefined);
    await admin?.disconnect().catch(() => undefined);
  }

  /**
   * Processes a fetched batch in chunks, each chunk in ONE transaction (its effects and inbox
   * records commit together): one commit per chunk instead of one per message is what lets a
   * consumer keep up with a busy topic. Order within the partition is kept. When anything in a
   * chunk is invalid or a handler throws, the chunk is rolled back and its messages go one by one
   * through `handleMessage` (retries, dead letters), so one bad message never holds up the rest.
   */
  private async handleBatch({
    batch,
    resolveOffset,
    heartbeat,
    isRunning,
    isStale,
    commitOffsetsIfNecessary,
  }: EachBatchPayload): Promise<void> {
    const { topic, partition, messages } = batch;
    const size = Math.max(1, this.options.settings.batchSize ?? DEFAULT_CHUNK_SIZE);
    for (let i = 0; i < messages.length; i += size) {
      if (!isRunning() || isStale()) return;
      const chunk = messages.slice(i, i + size);
      const deferred =
        chunk.length > 1 ? await this.processChunk(topic, partition, chunk, true) : null;
      if (deferred) {
        // what the chunk's handlers deferred: a second transaction, or one by one; the offset
        // moves past the chunk only when they are done (a crash in between redelivers the
        // chunk, and the inbox skips what the first transaction committed)
        const again =
          deferred.length > 1 ? await this.processChunk(topic, partition, deferred, false) : null;
        // (finished even when stopping: the chunk's later messages are committed already, and
        // the offset cannot move past them before these are done)
        if (deferred.length > 0 && !again) {
          for (const message of deferred)
            await this.handleMessage({ topic, partition, message, heartbeat });
        }
        resolveOffset(chunk[chunk.length - 1].offset);
      } else {
        for (const message of chunk) {
          if (!isRunning() || isStale()) return;
          await this.handleMessage({ topic, partition, message, heartbeat });
          resolveOffset(message.offset);
        }
      }
      await heartbeat();
      await commitOffsetsIfNecessary();
    }
  }

  /**
   * All or nothing: every message of the chunk valid and handled (or deferred by its handler,
   * when `mayDefer`) in one transaction. Returns the deferred messages (empty when none), or null
   * when the chunk was rolled back.
   */
  private async processChunk(
    topic: string,
    partition: number,
    chunk: KafkaMessage[],
    mayDefer: boolean,
  ): Promise<KafkaMessage[] | null> {
    const definition = this.definitionFor(topic);
    if (!definition) return null;
    const envelopes: EventEnvelope[] = [];
    for (const message of chunk) {
      let parsed: unknown;
      try {
        parsed = JSON.parse(message.value?.toString('utf8') ?? '');
      } catch {
        messagingMetrics.chunkFallbacks.inc({ topic });
        return null;
      }
      const validated = validateEnvelope(definition, parsed);
      if (!validated.ok) {
        messagingMetrics.chunkFallbacks.inc({ topic });
        return null;
      }
      envelopes.push(validated.value);
    }
    this.inFlight += 1;
    const started = process.hrtime.bigint();
    try {
      const { outcomes, deferred } = await this.options.dataSource.transaction(async (manager) => {
        const hooks = new TransactionHooks(mayDefer);
        // one inbox insert for the chunk: the events seen before are duplicates
        const fresh = new Set(
          (
            (await manager.query(
              `INSERT INTO inbox (consumer_group, event_id, topic, partition, "offset")
               SELECT $1, e, $2, $3, o FROM unnest($4::uuid[], $5::bigint[]) AS x(e, o)
               ON CONFLICT DO NOTHING RETURNING event_id`,
              [
                this.options.settings.groupId,
                topic,
                partition,
                envelopes.map((e) => e.id),
                chunk.map((m) => m.offset),
              ],
            )) as { event_id: string }[]
          ).map((r) => r.event_id),
        );
        // the first of two copies of one event in a chunk is the one that counts
        const first = envelopes.map((e) => fresh.delete(e.id));
        const stale = await this.staleInChunk(manager, topic, envelopes, first);
        const done: Outcome[] = [];
        for (let j = 0; j < chunk.length; j += 1) {
          if (!first[j]) {
            done.push('duplicate');
            continue;
          }
          if (stale[j]) {
            done.push('stale');
            continue;
          }
          done.push(
            await this.applyInTransaction(manager, topic, partition, chunk[j], envelopes[j], 1, {
              hooks,
              inboxed: true,
            }),
          );
        }
        await hooks.run();
        const later = await this.takeBackDeferred(manager, envelopes, done, hooks.deferred);
        return { outcomes: done.filter((_, j) => !later[j]), deferred: later };
      });
      for (const outcome of outcomes) messagingMetrics.consumed.inc({ topic, outcome });
      const perMessage = Number(process.hrtime.bigint() - started) / 1e9 / outcomes.length;
      for (let j = 0; j < outcomes.length; j += 1)
        messagingMetrics.handlerDuration.observe({ topic }, perMessage);
      const rest = chunk.filter((_, j) => deferred[j]);
      if (rest.length > 0) messagingMetrics.deferred.inc({ topic }, rest.length);
      return rest;
    } catch (error) {
      this.warnIfErrorWasReplaced(error);
      messagingMetrics.chunkFallbacks.inc({ topic });
      this.options.logger.warn(
        `a chunk of ${chunk.length} messages from ${topic} [${partition}] was rolled back and is retried one message per transaction: ${describeError(error)}`,
        CONTEXT,
      );
      return null;
    } finally {
      this.inFlight -= 1;
      this.state.lastActivityAt = Date.now();
    }
  }

  /**
   * The messages of a chunk its handlers deferred (by event id): processed ones without a
   * subjectVersion only, their inbox records deleted so that the follow-up handles them.
   */
  private async takeBackDeferred(
    manager: EntityManager,
    envelopes: EventEnvelope[],
    outcomes: Outcome[],
    ids: ReadonlySet<string>,
  ): Promise<boolean[]> {
    const later = envelopes.map((e, j) => outcomes[j] === 'processed' && ids.has(e.id));
    if (!later.includes(true)) return later;
    if (envelopes.some((e, j) => later[j] && e.subjectVersion !== undefined))
      throw new Error('a handler deferred an event with a subjectVersion');
    await manager.query(
      'DELETE FROM inbox WHERE consumer_group = $1 AND event_id = ANY($2::uuid[])',
      [this.options.settings.groupId, envelopes.filter((_, j) => later[j]).map((e) => e.id)],
    );
    return later;
  }

  private async handleMessage({
    topic,
    partition,
    message,
    heartbeat,
  }: Pick<EachMessagePayload, 'topic' | 'partition' | 'message' | 'heartbeat'>): Promise<void> {
    this.inFlight += 1;
    const started = process.hrtime.bigint();
    try {
      const definition = this.definitionFor(topic);
      let parsed: unknown;
      try {
        parsed = JSON.parse(message.value?.toString('utf8') ?? '');
      } catch (error) {
        return await this.deadLetter(
          topic,
          partition,
          message,
          'unparseable',
          (error as Error).message,
          0,
        );
      }
      const validated = definition ? validateEnvelope(definition, parsed) : null;
      if (!validated || !validated.ok) {
        const reason = validated
          ? describeErrors(validated.errors)
          : `no contract for topic ${topic}`;
        return await this.deadLetter(topic, partition, message, 'invalid', reason, 0);
      }
      const envelope = validated.value;
      const { maxAttempts, retryBackoffMs } = this.options.settings;
      for (let attempt = 1; ; attempt += 1) {
        try {
          const outcome = await this.processOnce(topic, partition, message, envelope, attempt);
          messagingMetrics.consumed.inc({ topic, outcome });
          return;
        } catch (error) {
          this.warnIfErrorWasReplaced(error);
          const text = describeError(error);
          const final = isPermanent(error) || attempt >= maxAttempts;
          if (!final && this.abort.signal.aborted) {
            // shutting down: leave the message uncommitted, it is redelivered (attempts start over)
            throw error;
          }
          if (final) {
            this.options.logger.error(
              `handler for ${topic} failed on attempt ${attempt} of ${maxAttempts}; dead-lettering event ${envelope.id}: ${text}`,
              CONTEXT,
            );
            return await this.deadLetter(
              topic,
              partition,
              message,
              'handler-failed',
              text,
              attempt,
            );
          }
          messagingMetrics.retries.inc({ topic });
          this.options.logger.warn(
            `handler for ${topic} failed on attempt ${attempt} of ${maxAttempts} (event ${envelope.id}); retrying: ${text}`,
            CONTEXT,
          );
          await this.sleepWithHeartbeat(backoffDelay(attempt, retryBackoffMs), heartbeat);
          // a shutdown during the backoff must not spend the remaining attempts at once
          if (this.abort.signal.aborted) throw error;
        }
      }
    } finally {
      this.inFlight -= 1;
      this.state.lastActivityAt = Date.now();
      messagingMetrics.handlerDuration.observe(
        { topic },
        Number(process.hrtime.bigint() - started) / 1e9,
      );
    }
  }

  private warnIfErrorWasReplaced(error: unknown): void {
    if (this.warnedAboutFilter || !isNestGenericError(error)) return;
    this.warnedAboutFilter = true;
    this.options.logger.error(
      'a handler error reached the transport as NestJS\'s generic "Internal server error": the ' +
        'RethrowRpcExceptionFilter is not in force, so PermanentHandlerError is retried and dead ' +
        'letters lose the real error. Connect the server with connectReliableKafkaServer(app, server).',
      CONTEXT,
    );
  }

  private async processOnce(
    topic: string,
    partition: number,
    message: KafkaMessage,
    envelope: EventEnvelope,
    attempt: number,
  ): Promise<Outcome> {
    return this.options.dataSource.transaction(async (manager) => {
      const hooks = new TransactionHooks();
      const outcome = await this.applyInTransaction(
        manager,
        topic,
        partition,
        message,
        envelope,
        attempt,
        { hooks, inboxed: false },
      );
      await hooks.run();
      return outcome;
    });
  }

  /**
   * The subject-version check of a chunk, with two statements whatever its size: which of its
   * events (`counted`: first copies) carry a subjectVersion no newer than the last applied for
   * their subject, stored or earlier in the chunk (stale: not handled), with each subject's
   * newest version recorded. The per-message path does the same with one upsert per event. Should
   * another transaction have recorded a version of one of these subjects in between (two
   * consumers of one partition during a rebalance), the chunk fails and is retried one message
   * per transaction, where the check is atomic.
   */
  private async staleInChunk(
    manager: EntityManager,
    topic: string,
    envelopes: EventEnvelope[],
    counted: boolean[],
  ): Promise<boolean[]> {
    const stale = envelopes.map(() => false);
    const versioned = envelopes
      .map((e, j) => ({ e, j }))
      .filter(({ e, j }) => counted[j] && e.subjectVersion !== undefined);
    if (versioned.length === 0) return stale;
    const group = this.options.settings.groupId;
    const subjects = [...new Set(versioned.map(({ e }) => e.subject))];
    const rows: { subject: string; version: number }[] = await manager.query(
      `SELECT s.subject, v.version FROM unnest($3::text[]) AS s(subject)
        CROSS JOIN LATERAL (
          SELECT version FROM inbox_subject_version
           WHERE consumer_group = $1 AND topic = $2 AND subject = s.subject LIMIT 1) v`,
      [group, topic, subjects],
    );
    const newest = new Map(rows.map((r) => [r.subject, Number(r.version)]));
    const changed = new Set<string>();
    for (const { e, j } of versioned) {
      const version = e.subjectVersion as number;
      const seen = newest.get(e.subject);
      if (seen !== undefined && version <= seen) {
        stale[j] = true;
        continue;
      }
      newest.set(e.subject, version);
      changed.add(e.subject);
    }
    if (changed.size === 0) return stale;
    const written = [...changed];
    const applied: { subject: string }[] = await manager.query(
      `INSERT INTO inbox_subject_version (consumer_group, topic, subject, version)
       SELECT $1, $2, s, v FROM unnest($3::text[], $4::bigint[]) AS x(s, v)
       ON CONFLICT (consumer_group, topic, subject) DO UPDATE SET version = EXCLUDED.version, updated_at = now()
       WHERE inbox_subject_version.version < EXCLUDED.version RETURNING subject`,
      [group, topic, written, written.map((subject) => newest.get(subject))],
    );
    if (applied.length !== written.length) {
      throw new Error(
        `subject versions of ${topic} moved under the chunk (${written.length - applied.length} of ${written.length} subjects)`,
      );
    }
    return stale;
  }

  /**
   * Inbox record and subject-version check (unless the chunk path did both), and the handler,
   * inside the caller's transaction; the caller runs the transaction's hooks after its last
   * message.
   */
  private async applyInTransaction(
    manager: EntityManager,
    topic: string,
    partition: number,
    message: KafkaMessage,
    envelope: EventEnvelope,
    attempt: number,
    tx: { hooks: TransactionHooks; inboxed: boolean },
  ): Promise<Outcome> {
    // topics are the handlers' keys (see topics()); Nest's getHandlerByPattern would first try
    // JSON.parse on the topic name, a thrown and caught SyntaxError for every message
    const handler = this.messageHandlers.get(topic);
    if (!handler) throw new Error(`no handler for ${topic}`);
    const group = this.options.settings.groupId;
    {
      if (!tx.inboxed) {
        const inserted: unknown[] = await manager.query(
          `INSERT INTO inbox (consumer_group, event_id, topic, partition, "offset")
           VALUES ($1, $2, $3, $4, $5) ON CONFLICT DO NOTHING RETURNING event_id`,
          [group, envelope.id, topic, partition, message.offset],
        );
        if (inserted.length === 0) return 'duplicate';
      }
      if (!tx.inboxed && envelope.subjectVersion !== undefined) {
        const applied: unknown[] = await manager.query(
          `INSERT INTO inbox_subject_version (consumer_group, topic, subject, version) VALUES ($1, $2, $3, $4)
           ON CONFLICT (consumer_group, topic, subject) DO UPDATE SET version = EXCLUDED.version, updated_at = now()
           WHERE inbox_subject_version.version < EXCLUDED.version RETURNING version`,
          [group, topic, envelope.subject, envelope.subjectVersion],
        );
        if (applied.length === 0) return 'stale';
      }
      const context = new KafkaEventContext(
        manager,
        envelope,
        topic,
        partition,
        message.offset,
        attempt,
        tx.hooks,
      );
      const result: unknown = await handler(envelope, context);
      if (isObservable(result)) await lastValueFrom(result, { defaultValue: undefined });
      return 'processed';
    }
  }

  private async sleepWithHeartbeat(ms: number, heartbeat: () => Promise<void>): Promise<void> {
    const until = Date.now() + ms;
    while (Date.now() < until && !this.abort.signal.aborted) {
      await sleep(Math.min(2_000, until - Date.now()), this.abort.signal);
      await heartbeat().catch(() => undefined);
    }
  }

  private async deadLetter(
    topic: string,
    partition: number,
    message: KafkaMessage,
    reason: DeadLetterReason,
    error: string,
    attempts: number,
  ): Promise<void> {
    const producer = this.deadLetterProducer;
    if (!producer) throw new Error('dead-letter producer is not connected');
    const key = message.key?.toString('utf8') ?? '';
    await producer.send({
      topic: this.deadLetterTopicOf(topic),
      acks: -1,
      messages: [
        {
          key: message.key,
          value: message.value,
          headers: {
            ...message.headers,
            [DEAD_LETTER_HEADERS.originalTopic]: topic,
            [DEAD_LETTER_HEADERS.originalPartition]: String(partition),
            [DEAD_LETTER_HEADERS.originalOffset]: message.offset,
            [DEAD_LETTER_HEADERS.originalKey]: key,
            [DEAD_LETTER_HEADERS.consumerGroup]: this.options.settings.groupId,
            [DEAD_LETTER_HEADERS.reason]: reason,
            [DEAD_LETTER_HEADERS.error]: error.slice(0, 4_000),
            [DEAD_LETTER_HEADERS.attempts]: String(attempts),
            [DEAD_LETTER_HEADERS.failedAt]: new Date().toISOString(),
          },
        },
      ],
    });
    messagingMetrics.deadLetters.inc({ topic, reason });
    messagingMetrics.consumed.inc({ topic, outcome: 'dead-lettered' });
  }
}
