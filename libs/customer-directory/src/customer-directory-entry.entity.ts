import { Column, Entity, PrimaryColumn } from 'typeorm';

/**
 * A downstream service's own copy of the customers it needs to know about, kept from the
 * customer master's events (services never read each other's tables).
 */
@Entity({ name: 'customer_directory' })
export class CustomerDirectoryEntryEntity {
  @PrimaryColumn({ name: 'customer_id', type: 'uuid' })
  customerId!: string;

  @Column({ name: 'party_type', type: 'varchar', length: 16 })
  partyType!: string;

  @Column({ type: 'varchar', length: 64 })
  category!: string;

  @Column({ type: 'varchar', length: 16 })
  status!: string;

  @Column({ name: 'display_name', type: 'varchar', length: 512 })
  displayName!: string;

  @Column({ name: 'relationship_manager_id', type: 'varchar', length: 128, nullable: true })
  relationshipManagerId!: string | null;

  /** Time of the newest event applied (the projection's freshness watermark for this row). */
  @Column({ name: 'as_of', type: 'timestamptz' })
  asOf!: Date;
}
