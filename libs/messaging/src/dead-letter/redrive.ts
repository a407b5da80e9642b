import { DEAD_LETTER_HEADERS, type ServiceName } from '@bank-crm/contracts';
import type { Consumer, IHeaders, Kafka, KafkaMessage, Producer } from 'kafkajs';

import { createProducer } from '../kafka/kafka-factory';

/** Headers a re-driven message carries on its original topic (the dlq-* headers are dropped). */
export const REDRIVE_HEADERS = {
  /** When the message was re-driven (ISO 8601). */
  redrivenAt: 'dlq-redriven-at',
  /** How many times this message has been re-driven (1 the first time). */
  redriveCount: 'dlq-redrive-count',
  /** On a dead letter moved to the end of the dead-letter topic by a filtered re-drive. */
  requeuedAt: 'dlq-requeued-at',
  /** Where the moved dead letter was: `<partition>/<offset>` in the dead-letter topic. */
  requeuedFrom: 'dlq-requeued-from',
} as const;

/**
 * The consumer group of re-drives: its committed offsets are what has been re-driven already.
 * The restricted dead-letter topic has a group of its own (its readers need their own ACLs).
 */
export function redriveGroupId(service: ServiceName, restricted = false): string {
  return `bank-crm.${service}.dlq-redrive${restricted ? '-restricted' : ''}`;
}

/** A header as a string (kafkajs gives Buffers), or undefined. */
export function headerValue(headers: IHeaders | undefined, name: string): string | undefined {
  const value = headers?.[name];
  if (value === undefined || value === null) return undefined;
  if (Array.isArray(value)) return value.length ? String(value[value.length - 1]) : undefined;
  return Buffer.isBuffer(value) ? value.toString('utf8') : String(value);
}

/**
 * The headers of a re-driven message: the original message's own headers (event-id,
 * correlation-id, ...) without any `dlq-*` header, plus `dlq-redriven-at` and `dlq-redrive-count`
 * (one more than the count the dead letter carried, if it had been re-driven before).
 */
export function redriveHeaders(headers: IHeaders | undefined, now: Date): IHeaders {
  const previous = Number(headerValue(headers, REDRIVE_HEADERS.redriveCount) ?? '0');
  const out: IHeaders = {};
  for (const [name, value] of Object.entries(headers ?? {})) {
    if (name.startsWith('dlq-') || value === undefined) continue;
    out[name] = value;
  }
  out[REDRIVE_HEADERS.redrivenAt] = now.toISOString();
  out[REDRIVE_HEADERS.redriveCount] = String(
    Number.isInteger(previous) && previous > 0 ? previous + 1 : 1,
  );
  return out;
}

export interface RedriveFilter {
  /** Only dead letters of this original topic. */
  originalTopic?: string;
  /** Only dead letters of this reason (`unparseable`, `invalid`, `handler-failed`). */
  reason?: string;
}

export type RedriveDecision =
  | { action: 'redrive'; topic: string; reason: string }
  | { action: 'requeue'; why: string }
  | { action: 'unroutable'; why: string };

/** What a re-drive does with one dead letter. */
export function decideRedrive(
  headers: IHeaders | undefined,
  filter: RedriveFilter,
  deadLetterTopic: string,
): RedriveDecision {
  const topic = headerValue(headers, DEAD_LETTER_HEADERS.originalTopic);
  const reason = headerValue(headers, DEAD_LETTER_HEADERS.reason) ?? '';
  if (!topic)
    return { action: 'unroutable', why: `no ${DEAD_LETTER_HEADERS.originalTopic} header` };
  if (topic === deadLetterTopic) {
    return { action: 'unroutable', why: 'its original topic is the dead-letter topic itself' };
  }
  if (filter.originalTopic !== undefined && topic !== filter.originalTopic) {
    return { action: 'requeue', why: `original topic ${topic} is not ${filter.originalTopic}` };
  }
  if (filter.reason !== undefined && reason !== filter.reason) {
    return { action: 'requeue', why: `reason ${reason || '(none)'} is not ${filter.reason}` };
  }
  return { action: 'redrive', topic, reason };
}

/** The event id of a dead letter's value, when it is an envelope (for progress lines). */
export function eventIdOf(value: Buffer | null): string | undefined {
  try {
    const id = (JSON.parse(value?.toString('utf8') ?? '') as { id?: unknown }).id;
    return typeof id === 'string' ? id : undefined;
  } catch {
    return undefined;
  }
}

export interface RedriveOptions extends RedriveFilter {
  kafka: Kafka;
  deadLetterTopic: string;
  /** Default: `redriveGroupId(service)`; the group must be used for re-drives only. */
  groupId: string;
  /** Report what would be done; publish nothing, commit nothing. */
  dryRun?: boolean;
  /** Stop after re-driving this many dead letters. */
  limit?: number;
  /** Give up when no dead letter arrives for this long although some are pending (default 20 s). */
  idleTimeoutMs?: number;
  onProgress?: (line: string) => void;
  now?: () => Date;
}

export interface RedriveSummary {
  deadLetterTopic: string;
  groupId: string;
  dryRun: boolean;
  /** False when the run stopped early (error, or no progress within the idle timeout). */
  complete: boolean;
  /** Dead letters pending for this group when the run started. */
  pending: number;
  examined: number;
  /** Re-driven (in a dry run: would be). */
  redriven: number;
  /** Not matching the filters: moved to the end of the dead-letter topic (dry run: would be). */
  requeued: number;
  /** Cannot be re-driven (no original topic): passed over. */
  unroutable: number;
  byTopic: Record<string, number>;
  byReason: Record<string, number>;
  error?: string;
}

interface PartitionRange {
  next: bigint;
  end: bigint;
}

/**
 * Re-drives the dead letters this group has not handled yet, up to the end of the dead-letter
 * topic as it was when the run started:
 *
 * - a matching dead letter is published again to its original topic with its original key and
 *   value (headers: see `redriveHeaders`), then the group's offset moves past it, so a dead letter
 *   is re-driven once; a crash between the two re-drives it once more at worst, which the
 *   consumers' inbox makes harmless (same event id);
 * - a dead letter that does not match the filters is moved to the end of the dead-letter topic
 *   (same key, value and headers, plus `dlq-requeued-at`/`dlq-requeued-from`) before the offset
 *   moves past it, so a later run with other filters still finds it;
 * - a dead letter without an original topic cannot be re-driven: it is passed over and reported.
 */
export async function redriveDeadLetters(options: RedriveOptions): Promise<RedriveSummary> {
  const { kafka, deadLetterTopic, groupId } = options;
  const dryRun = options.dryRun ?? false;
  const progress = options.onProgress ?? (() => undefined);
  const now = options.now ?? (() => new Date());
  const summary: RedriveSummary = {
    deadLetterTopic,
    groupId,
    dryRun,
    complete: false,
    pending: 0,
    examined: 0,
    redriven: 0,
    requeued: 0,
    unroutable: 0,
    byTopic: {},
    byReason: {},
  };

  const ranges = await pendingRanges(kafka, deadLetterTopic, groupId);
  summary.pending = [...ranges.values()].reduce((n, r) => n + Number(r.end - r.next), 0);
  if (summary.pending === 0) {
    progress(`nothing to re-drive: ${groupId} is at the end of ${deadLetterTopic}`);
    summary.complete = true;
    return summary;
  }
  progress(`${summary.pending} dead letter(s) pending in ${deadLetterTopic} for ${groupId}`);
  if (options.limit !== undefined && options.limit <= 0) {
    summary.complete = true;
    return summary;
  }

  let producer: Producer | null = null;
  if (!dryRun) {
    producer = createProducer(kafka);
    await producer.connect();
  }
  const consumer: Consumer = kafka.consumer({
    groupId,
    maxWaitTimeInMs: 500,
    allowAutoTopicCreation: false,
    retry: { retries: 5, restartOnFailure: async () => false },
  });
  try {
    await new Promise<void>((resolve) => {
      let finished = false;
      let idleTimer: NodeJS.Timeout | undefined;
      const finish = (complete: boolean, error?: string) => {
        if (finished) return;
        finished = true;
        clearTimeout(idleTimer);
        summary.complete = complete;
        if (error) summary.error = error;
        resolve();
      };
      const armIdleTimer = () => {
        clearTimeout(idleTimer);
        idleTimer = setTimeout(
          () => finish(false, 'no dead letter arrived within the idle timeout'),
          options.idleTimeoutMs ?? 20_000,
        );
      };
      const open = new Set(ranges.keys());
      const closePartition = (partition: number) => {
        open.delete(partition);
        if (open.size === 0) finish(true);
      };
      for (const [partition, range] of ranges) if (range.next >= range.end) open.delete(partition);

      consumer.on(consumer.events.GROUP_JOIN, armIdleTimer);
      consumer.on(consumer.events.CRASH, (event) => finish(false, event.payload.error.message));

      const handle = async (partition: number, message: KafkaMessage) => {
        const range = ranges.get(partition);
        const offset = BigInt(message.offset);
        if (finished || !range || !open.has(partition)) return;
        if (offset >= range.end) return closePartition(partition);
        armIdleTimer();
        summary.examined += 1;
        const where = `${partition}/${message.offset}`;
        const decision = decideRedrive(message.headers, options, deadLetterTopic);
        if (decision.action === 'redrive') {
          const id = eventIdOf(message.value) ?? '-';
          const attempts = headerValue(message.headers, DEAD_LETTER_HEADERS.attempts) ?? '-';
          if (producer) {
            await producer.send({
              topic: decision.topic,
              acks: -1,
              messages: [
                {
                  key: message.key,
                  value: message.value,
                  headers: redriveHeaders(message.headers, now()),
                },
              ],
            });
          }
          summary.redriven += 1;
          summary.byTopic[decision.topic] = (summary.byTopic[decision.topic] ?? 0) + 1;
          summary.byReason[decision.reason] = (summary.byReason[decision.reason] ?? 0) + 1;
          progress(
            `${dryRun ? 'would re-drive' : 're-driven'} ${where} -> ${decision.topic} (reason ${decision.reason || '-'}, attempts ${attempts}, event ${id})`,
          );
        } else if (decision.action === 'requeue') {
          if (producer) {
            await producer.send({
              topic: deadLetterTopic,
              acks: -1,
              messages: [
                {
                  key: message.key,
                  value: message.value,
                  headers: {
                    ...message.headers,
                    [REDRIVE_HEADERS.requeuedAt]: now().toISOString(),
                    [REDRIVE_HEADERS.requeuedFrom]: where,
                  },
                },
              ],
            });
          }
          summary.requeued += 1;
          progress(`${dryRun ? 'would move' : 'moved'} ${where} to the end: ${decision.why}`);
        } else {
          summary.unroutable += 1;
          progress(`${dryRun ? 'would pass over' : 'passed over'} ${where}: ${decision.why}`);
        }
        if (!dryRun) {
          await consumer.commitOffsets([
            { topic: deadLetterTopic, partition, offset: (offset + 1n).toString() },
          ]);
        }
        if (offset + 1n >= range.end) closePartition(partition);
        if (options.limit !== undefined && summary.redriven >= options.limit) finish(true);
      };

      void (async () => {
        try {
          await consumer.connect();
          await consumer.subscribe({ topics: [deadLetterTopic], fromBeginning: true });
          await consumer.run({
            autoCommit: false,
            eachMessage: async ({ partition, message }) => {
              try {
                await handle(partition, message);
              } catch (error) {
                // nothing is committed past this dead letter: the next run starts with it
                finish(false, (error as Error).message);
              }
            },
          });
          armIdleTimer();
        } catch (error) {
          finish(false, (error as Error).message);
        }
      })();
    });
  } finally {
    await consumer.disconnect().catch(() => undefined);
    await producer?.disconnect().catch(() => undefined);
  }
  return summary;
}

/** Per partition: the group's position (committed offset, or the earliest) and the end now. */
async function pendingRanges(
  kafka: Kafka,
  topic: string,
  groupId: string,
): Promise<Map<number, PartitionRange>> {
  const admin = kafka.admin();
  await admin.connect();
  try {
    const ends = await admin.fetchTopicOffsets(topic);
    const [committed] = await admin.fetchOffsets({ groupId, topics: [topic] });
    const ranges = new Map<number, PartitionRange>();
    for (const end of ends) {
      const done = committed?.partitions.find((p) => p.partition === end.partition);
      const low = BigInt(end.low);
      const position = done && BigInt(done.offset) >= 0n ? BigInt(done.offset) : low;
      ranges.set(end.partition, {
        next: position > low ? position : low,
        end: BigInt(end.high),
      });
    }
    return ranges;
  } finally {
    await admin.disconnect();
  }
}
