import { Column, Entity, PrimaryColumn } from 'typeorm';

/** The newest version of a business system's party record, as received (identity resolution reads it). */
@Entity({ name: 'source_record' })
export class SourceRecordEntity {
  @PrimaryColumn({ name: 'source_system', type: 'varchar', length: 64 })
  sourceSystem!: string;

  @PrimaryColumn({ name: 'source_key', type: 'varchar', length: 128 })
  sourceKey!: string;

  @Column({ name: 'party_type', type: 'varchar', length: 16 })
  partyType!: string;

  /** The whole SourcePartyRecord v1, unknown extra fields included. */
  @Column({ type: 'jsonb' })
  record!: Record<string, unknown>;

  @Column({ name: 'observed_at', type: 'timestamptz' })
  observedAt!: Date;

  @Column({ name: 'received_at', type: 'timestamptz' })
  receivedAt!: Date;

  @Column({ name: 'last_event_id', type: 'uuid' })
  lastEventId!: string;
}
