import { Kafka, logLevel, Partitioners, type LogEntry, type Producer } from 'kafkajs';

import type { KafkaSettings } from './kafka-settings';

export interface LogSink {
  log(message: string, context?: string): void;
  warn(message: string, context?: string): void;
  error(message: string, context?: string): void;
}

const CONTEXT = 'kafkajs';

/**
 * The one place that builds kafkajs clients (kafkajs is in maintenance mode: a later switch of
 * client must touch only this lib).
 */
export function createKafka(
  settings: Pick<KafkaSettings, 'brokers' | 'clientId'>,
  sink?: LogSink,
): Kafka {
  return new Kafka({
    clientId: settings.clientId,
    brokers: settings.brokers,
    connectionTimeout: 5_000,
    requestTimeout: 30_000,
    retry: { initialRetryTime: 300, retries: 8, maxRetryTime: 10_000 },
    logLevel: logLevel.WARN,
    logCreator: () => (entry: LogEntry) => {
      if (!sink) return;
      const { message, ...rest } = entry.log;
      const line = `${message} ${JSON.stringify({ broker: rest.broker, groupId: rest.groupId, error: rest.error })}`;
      if (entry.level <= logLevel.ERROR) sink.error(line, CONTEXT);
      else if (entry.level === logLevel.WARN) sink.warn(line, CONTEXT);
      else sink.log(line, CONTEXT);
    },
  });
}

/**
 * An idempotent producer with the Java-compatible (murmur2) partitioner, so keys land on the same
 * partitions as Java and librdkafka producers would put them.
 */
export function createProducer(kafka: Kafka): Producer {
  return kafka.producer({
    createPartitioner: Partitioners.DefaultPartitioner,
    idempotent: true,
    maxInFlightRequests: 1,
    allowAutoTopicCreation: false,
  });
}
