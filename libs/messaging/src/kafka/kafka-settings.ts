export interface KafkaSettings {
  brokers: string[];
  clientId: string;
  /** Consumer group of the service; the inbox is keyed by it too. */
  groupId: string;
  /** Partitions processed in parallel by one consumer (order is kept within a partition). */
  consumerConcurrency: number;
  /** Attempts of a failing handler before its message goes to the dead-letter topic. */
  maxAttempts: number;
  /** First retry delay; doubles per attempt, capped at 30 s, with jitter. */
  retryBackoffMs: number;
  /**
   * Messages of one partition processed in one transaction when they are all valid and succeed
   * (default 100); a failing chunk falls back to one message per transaction.
   */
  batchSize?: number;
  /**
   * Where a consumer group that has never committed an offset starts (epoch ms): at the first
   * message produced at or after this time. Unset: at the beginning of each topic. A group with
   * committed offsets always resumes from them.
   */
  newGroupStartAt?: number;
}
