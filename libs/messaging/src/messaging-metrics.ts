import { counter, gauge, histogram } from '@bank-crm/observability';

/** Messaging metrics; labels are topics and outcome codes only, never keys or payload values. */
export const messagingMetrics = {
  outboxBacklog: gauge('bankcrm_outbox_backlog', 'Outbox rows committed but not yet published.'),
  outboxPublished: counter('bankcrm_outbox_published_total', 'Events published from the outbox.', [
    'topic',
  ]),
  outboxPublishLatency: histogram(
    'bankcrm_outbox_publish_latency_seconds',
    'Time from outbox commit to acknowledged publish.',
    [],
    [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30],
  ),
  outboxVacuum: histogram(
    'bankcrm_outbox_vacuum_seconds',
    'Time the outbox relay spends vacuuming its table (after every 10,000 rows published, at most once a minute).',
    [],
    [0.01, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30],
  ),
  outboxLeader: gauge(
    'bankcrm_outbox_relay_leader',
    '1 when this replica holds the outbox relay lock.',
  ),
  consumed: counter('bankcrm_consumer_messages_total', 'Messages handled, by outcome.', [
    'topic',
    'outcome',
  ]),
  retries: counter(
    'bankcrm_consumer_retries_total',
    'Handler attempts that failed and were retried.',
    ['topic'],
  ),
  deadLetters: counter(
    'bankcrm_consumer_dead_letters_total',
    'Messages sent to the dead-letter topic.',
    ['topic', 'reason'],
  ),
  chunkFallbacks: counter(
    'bankcrm_consumer_chunk_fallbacks_total',
    'Chunks rolled back and retried one message per transaction (a handler failed, or a message was invalid).',
    ['topic'],
  ),
  deferred: counter(
    'bankcrm_consumer_deferred_total',
    "Messages a chunk's handlers left to a second transaction after the chunk's first one committed (e.g. records whose blocking keys another consumer held).",
    ['topic'],
  ),
  handlerDuration: histogram(
    'bankcrm_consumer_handler_duration_seconds',
    'Time to process one message, retries included.',
    ['topic'],
    [0.001, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 5, 30],
  ),
  consumerLag: gauge(
    'bankcrm_consumer_lag',
    'Messages behind the partition end, per topic and partition.',
    ['topic', 'partition'],
  ),
  consumerRestarts: counter(
    'bankcrm_consumer_restarts_total',
    'Times the consumer was rebuilt after a crash or stall.',
  ),
  consumerUp: gauge('bankcrm_consumer_up', '1 when the consumer is in its group and fetching.'),
};
