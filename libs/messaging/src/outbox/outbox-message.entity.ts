import { Column, Entity, PrimaryGeneratedColumn } from 'typeorm';

/**
 * One event waiting to be published, written in the same transaction as the state change.
 * Column names follow the Debezium outbox event router (id, aggregatetype, aggregateid, type,
 * payload), so a platform team can replace the relay with CDC (route.by.field=topic).
 */
@Entity({ name: 'outbox' })
export class OutboxMessageEntity {
  @PrimaryGeneratedColumn({ type: 'bigint' })
  seq!: string;

  @Column({ type: 'uuid', unique: true })
  id!: string;

  @Column({ type: 'varchar', length: 128 })
  aggregatetype!: string;

  @Column({ type: 'varchar', length: 256 })
  aggregateid!: string;

  @Column({ type: 'varchar', length: 256 })
  type!: string;

  @Column({ type: 'varchar', length: 249 })
  topic!: string;

  /** The whole event envelope. */
  @Column({ type: 'jsonb' })
  payload!: unknown;

  @Column({ type: 'jsonb', default: () => "'{}'::jsonb" })
  headers!: Record<string, string>;

  @Column({ name: 'created_at', type: 'timestamptz', default: () => 'now()' })
  createdAt!: Date;

  @Column({ name: 'published_at', type: 'timestamptz', nullable: true })
  publishedAt!: Date | null;
}
