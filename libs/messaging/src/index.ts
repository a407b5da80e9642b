export * from './kafka/kafka-settings';
export * from './kafka/kafka-factory';
export * from './kafka/topics';
export * from './outbox/outbox-message.entity';
export * from './outbox/outbox-writer';
export * from './outbox/outbox-relay';
export * from './inbox/inbox-entry.entity';
export * from './consumer/consumer-state';
export * from './consumer/kafka-event-context';
export * from './consumer/reliable-kafka.server';
export * from './consumer/rethrow-rpc-exception.filter';
export * from './consumer/connect-reliable-kafka';
export * from './messaging-tables.migration';
export * from './inbox-subject-version-per-topic.migration';
export * from './messaging.module';
export * from './messaging-metrics';
export * from './nest-log-sink';
export * from './sleep';
export * from './dead-letter/redrive';
export * from './dead-letter/redrive-cli';

import { InboxEntryEntity, InboxSubjectVersionEntity } from './inbox/inbox-entry.entity';
import { InboxSubjectVersionPerTopic1764400000000 } from './inbox-subject-version-per-topic.migration';
import { MessagingTables1764300000000 } from './messaging-tables.migration';
import { OutboxMessageEntity } from './outbox/outbox-message.entity';

/** Entities and migrations every service adds to its own DataSource. */
export const MESSAGING_ENTITIES = [
  OutboxMessageEntity,
  InboxEntryEntity,
  InboxSubjectVersionEntity,
];
export const MESSAGING_MIGRATIONS = [
  MessagingTables1764300000000,
  InboxSubjectVersionPerTopic1764400000000,
];
