import { Column, Entity, PrimaryColumn } from 'typeorm';

/** An event a consumer group has processed; written in the same transaction as the effects. */
@Entity({ name: 'inbox' })
export class InboxEntryEntity {
  @PrimaryColumn({ name: 'consumer_group', type: 'varchar', length: 256 })
  consumerGroup!: string;

  @PrimaryColumn({ name: 'event_id', type: 'uuid' })
  eventId!: string;

  @Column({ type: 'varchar', length: 249 })
  topic!: string;

  @Column({ type: 'int' })
  partition!: number;

  @Column({ type: 'bigint' })
  offset!: string;

  @Column({ name: 'processed_at', type: 'timestamptz', default: () => 'now()' })
  processedAt!: Date;
}

/**
 * The highest aggregate version a consumer group has applied per topic and subject (to skip stale
 * events; per topic because Kafka orders an aggregate's events only within one topic).
 */
@Entity({ name: 'inbox_subject_version' })
export class InboxSubjectVersionEntity {
  @PrimaryColumn({ name: 'consumer_group', type: 'varchar', length: 256 })
  consumerGroup!: string;

  @PrimaryColumn({ type: 'varchar', length: 249 })
  topic!: string;

  @PrimaryColumn({ type: 'varchar', length: 256 })
  subject!: string;

  @Column({ type: 'bigint' })
  version!: string;

  @Column({ name: 'updated_at', type: 'timestamptz', default: () => 'now()' })
  updatedAt!: Date;
}
