import {
  DEAD_LETTER_HEADERS,
  deadLetterTopic,
  describeErrors,
  eventDefinitionForTopic,
  validateEnvelope,
  type DeadLetterReason,
  type EventEnvelope,
  type ServiceName,
} from '@bank-crm/contracts';
import { Server, type CustomTransportStrategy } from '@nestjs/microservices';
import type { Consumer, EachMessagePayload, Kafka, KafkaMessage, Producer } from 'kafkajs';
import { isObservable, lastValueFrom } from 'rxjs';
import type { DataSource } from 'typeorm';

import { createKafka, createProducer, type LogSink } from '../kafka/kafka-factory';
import type { KafkaSettings } from '../kafka/kafka-settings';
import { messagingMetrics } from '../messaging-metrics';
import { backoffDelay, sleep } from '../sleep';
import { ConsumerState } from './consumer-state';
import { isPermanent, KafkaEventContext } from './kafka-event-context';

export interface ReliableKafkaServerOptions {
  serviceName: ServiceName;
  settings: KafkaSettings;
  dataSource: DataSource;
  logger: LogSink;
  state?: ConsumerState;
  /** Rebuild the consumer when it has neither fetched nor heartbeated for this long. */
  stallTimeoutMs?: number;
}

type Outcome = 'processed' | 'duplicate' | 'stale';

const CONTEXT = 'ReliableKafkaServer';

/**
 * A NestJS transport for `@EventPattern(topic)` handlers on kafkajs that NestJS's own Kafka
 * transport does not give: each message is validated against its contract, processed in one
 * database transaction together with its inbox record (exactly-once effects), retried with
 * backoff while heartbeating, and parked on the service's dead-letter topic when it is invalid or
 * keeps failing, so the partition keeps moving. A crashed or stalled consumer is rebuilt.
 */
export class ReliableKafkaServer extends Server implements CustomTransportStrategy {
  readonly state: ConsumerState;
  private readonly kafka: Kafka;
  private consumer: Consumer | null = null;
  private deadLetterProducer: Producer | null = null;
  private readonly abort = new AbortController();
  private supervisor: Promise<void> | null = null;
  private crashed: (() => void) | null = null;
  private inFlight = 0;
  private lagTimer: NodeJS.Timeout | null = null;

  constructor(private readonly options: ReliableKafkaServerOptions) {
    super();
    this.state = options.state ?? new ConsumerState();
    this.kafka = createKafka(options.settings, options.logger);
  }

  /** Topics this service consumes: one per @EventPattern handler. */
  topics(): string[] {
    return [...this.messageHandlers.keys()];
  }

  listen(callback: (...optionalParams: unknown[]) => unknown): void {
    for (const topic of this.topics()) {
      if (!eventDefinitionForTopic(topic)) {
        callback(new Error(`@EventPattern('${topic}') names no topic of the contracts registry`));
        return;
      }
    }
    this.supervisor = this.supervise();
    callback();
  }

  async close(): Promise<void> {
    this.abort.abort();
    this.crashed?.();
    if (this.lagTimer) clearInterval(this.lagTimer);
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
    let attempt = 0;
    while (!signal.aborted) {
      attempt += 1;
      const stopped = new Promise<void>((resolve) => (this.crashed = resolve));
      try {
        this.state.phase = attempt === 1 ? 'connecting' : 'restarting';
        await this.startConsumer();
        await stopped;
      } catch (error) {
        this.state.lastError = (error as Error).message;
        this.options.logger.error(`consumer failed to start: ${(error as Error).message}`, CONTEXT);
      }
      messagingMetrics.consumerUp.set(0);
      await this.stopConsumer();
      if (signal.aborted) break;
      this.state.restarts += 1;
      messagingMetrics.consumerRestarts.inc();
      await sleep(Math.min(30_000, 1_000 * attempt), signal);
    }
  }

  private async startConsumer(): Promise<void> {
    const { settings } = this.options;
    const consumer = this.kafka.consumer({
      groupId: settings.groupId,
      sessionTimeout: 30_000,
      rebalanceTimeout: 60_000,
      heartbeatInterval: 3_000,
      allowAutoTopicCreation: false,
      maxWaitTimeInMs: 1_000,
    });
    this.consumer = consumer;
    const touch = () => (this.state.lastActivityAt = Date.now());
    consumer.on(consumer.events.GROUP_JOIN, () => {
      touch();
      this.state.phase = 'running';
      this.state.lastError = null;
      messagingMetrics.consumerUp.set(1);
    });
    consumer.on(consumer.events.FETCH_START, touch);
    consumer.on(consumer.events.HEARTBEAT, touch);
    consumer.on(consumer.events.CRASH, (event) => {
      const { error, restart } = event.payload;
      this.state.lastError = error.message;
      this.options.logger.error(
        `consumer crashed (kafkajs restarts it: ${restart}): ${error.message}`,
        CONTEXT,
      );
      if (!restart) this.crashed?.();
    });
    consumer.on(consumer.events.STOP, () => {
      if (!this.abort.signal.aborted) this.crashed?.();
    });

    this.deadLetterProducer = createProducer(this.kafka);
    await this.deadLetterProducer.connect();
    await consumer.connect();
    await consumer.subscribe({ topics: this.topics(), fromBeginning: true });
    await consumer.run({
      autoCommit: true,
      partitionsConsumedConcurrently: settings.consumerConcurrency,
      eachMessage: (payload) => this.handleMessage(payload),
    });
    this.startWatchdogs();
  }

  private startWatchdogs(): void {
    if (this.lagTimer) clearInterval(this.lagTimer);
    const stallMs = this.options.stallTimeoutMs ?? 90_000;
    this.lagTimer = setInterval(() => {
      // kafkajs can stop fetching without a CRASH event after some broker failures: rebuild it
      if (
        this.state.phase === 'running' &&
        this.inFlight === 0 &&
        Date.now() - this.state.lastActivityAt > stallMs
      ) {
        this.options.logger.warn(
          'consumer stalled (no fetch or heartbeat); rebuilding it',
          CONTEXT,
        );
        this.crashed?.();
        return;
      }
      void this.recordLag().catch(() => undefined);
    }, 15_000);
    this.lagTimer.unref();
  }

  private async recordLag(): Promise<void> {
    if (this.state.phase !== 'running') return;
    const admin = this.kafka.admin();
    await admin.connect();
    try {
      const topics = this.topics();
      const committed = await admin.fetchOffsets({
        groupId: this.options.settings.groupId,
        topics,
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
    } finally {
      await admin.disconnect();
    }
  }

  private async stopConsumer(): Promise<void> {
    const consumer = this.consumer;
    const producer = this.deadLetterProducer;
    this.consumer = null;
    this.deadLetterProducer = null;
    // disconnect waits for the in-flight message, commits its offset and leaves the group
    await consumer?.disconnect().catch(() => undefined);
    await producer?.disconnect().catch(() => undefined);
  }

  private async handleMessage({
    topic,
    partition,
    message,
    heartbeat,
  }: EachMessagePayload): Promise<void> {
    this.inFlight += 1;
    const started = process.hrtime.bigint();
    try {
      const definition = eventDefinitionForTopic(topic);
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
          const text =
            error instanceof Error ? `${error.name}: ${error.message}` : JSON.stringify(error);
          if (isPermanent(error) || attempt >= maxAttempts || this.abort.signal.aborted) {
            if (this.abort.signal.aborted && !isPermanent(error) && attempt < maxAttempts)
              throw error;
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

  private async processOnce(
    topic: string,
    partition: number,
    message: KafkaMessage,
    envelope: EventEnvelope,
    attempt: number,
  ): Promise<Outcome> {
    const handler = this.getHandlerByPattern(topic);
    if (!handler) throw new Error(`no handler for ${topic}`);
    const group = this.options.settings.groupId;
    return this.options.dataSource.transaction(async (manager) => {
      const inserted: unknown[] = await manager.query(
        `INSERT INTO inbox (consumer_group, event_id, topic, partition, "offset")
         VALUES ($1, $2, $3, $4, $5) ON CONFLICT DO NOTHING RETURNING event_id`,
        [group, envelope.id, topic, partition, message.offset],
      );
      if (inserted.length === 0) return 'duplicate';
      if (envelope.subjectVersion !== undefined) {
        const applied: unknown[] = await manager.query(
          `INSERT INTO inbox_subject_version (consumer_group, subject, version) VALUES ($1, $2, $3)
           ON CONFLICT (consumer_group, subject) DO UPDATE SET version = EXCLUDED.version, updated_at = now()
           WHERE inbox_subject_version.version < EXCLUDED.version RETURNING version`,
          [group, envelope.subject, envelope.subjectVersion],
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
      );
      const result: unknown = await handler(envelope, context);
      if (isObservable(result)) await lastValueFrom(result, { defaultValue: undefined });
      return 'processed';
    });
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
      topic: deadLetterTopic(this.options.serviceName),
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
