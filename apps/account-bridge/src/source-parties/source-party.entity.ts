import { Column, Entity, PrimaryColumn } from 'typeorm';

/** The newest version of a party record received from a business system. */
@Entity({ name: 'source_party' })
export class SourcePartyEntity {
  @PrimaryColumn({ name: 'source_system', type: 'varchar', length: 64 })
  sourceSystem!: string;

  @PrimaryColumn({ name: 'source_key', type: 'varchar', length: 128 })
  sourceKey!: string;

  @Column({ type: 'jsonb' })
  record!: Record<string, unknown>;

  /** sha256 of the canonical record: re-sending the same data changes nothing. */
  @Column({ name: 'content_hash', type: 'char', length: 64 })
  contentHash!: string;

  @Column({ name: 'observed_at', type: 'timestamptz' })
  observedAt!: Date;

  @Column({ name: 'updated_at', type: 'timestamptz' })
  updatedAt!: Date;
}
