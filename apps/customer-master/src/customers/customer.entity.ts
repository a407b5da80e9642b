import {
  Column,
  CreateDateColumn,
  Entity,
  OneToMany,
  PrimaryColumn,
  UpdateDateColumn,
  VersionColumn,
} from 'typeorm';

import type { EmailValue, PhoneValue } from './contact-normalizer';
import { CustomerIdentifierEntity } from './customer-identifier.entity';

export type PartyType = 'individual' | 'organization';
export type CustomerStatus = 'potential' | 'active' | 'dormant' | 'lost';
export type Gender = 'M' | 'F' | 'U';

/** Golden attribute -> the `sourceSystem:sourceKey` (or list, for multi-valued ones) that supplied it. */
export type CustomerLineage = Record<string, string | string[] | null>;

export interface AddressValue {
  type: string;
  line: string;
  city?: string;
  province?: string;
  postalCode?: string;
  country?: string;
}

@Entity({ name: 'customer' })
export class CustomerEntity {
  /** Permanent id, never reused (an absorbed customer keeps its row and redirects). */
  @PrimaryColumn({ type: 'uuid' })
  id!: string;

  @Column({ name: 'party_type', type: 'varchar', length: 16 })
  partyType!: PartyType;

  @Column({ type: 'varchar', length: 64 })
  category!: string;

  @Column({ type: 'varchar', length: 16 })
  status!: CustomerStatus;

  @Column({ name: 'status_changed_at', type: 'timestamptz', nullable: true })
  statusChangedAt!: Date | null;

  @Column({ name: 'display_name', type: 'varchar', length: 512 })
  displayName!: string;

  @Column({ name: 'name_latin', type: 'varchar', length: 512, nullable: true })
  nameLatin!: string | null;

  /** Birth date (individuals) or registration date (organisations). */
  @Column({ name: 'birth_date', type: 'date', nullable: true })
  birthDate!: string | null;

  @Column({ type: 'varchar', length: 1, nullable: true })
  gender!: Gender | null;

  @Column({ type: 'jsonb', default: () => "'[]'" })
  phones!: PhoneValue[];

  @Column({ type: 'jsonb', default: () => "'[]'" })
  emails!: EmailValue[];

  @Column({ type: 'jsonb', default: () => "'[]'" })
  addresses!: AddressValue[];

  @Column({ type: 'varchar', length: 64, nullable: true })
  segment!: string | null;

  @Column({ name: 'value_tier', type: 'varchar', length: 32, nullable: true })
  valueTier!: string | null;

  /** Owned by sales; mirrored here. */
  @Column({ name: 'relationship_manager_id', type: 'varchar', length: 128, nullable: true })
  relationshipManagerId!: string | null;

  /** The survivor this customer was merged into (always the final one: chains are collapsed). */
  @Column({ name: 'merged_into', type: 'uuid', nullable: true })
  mergedInto!: string | null;

  @Column({ name: 'merged_at', type: 'timestamptz', nullable: true })
  mergedAt!: Date | null;

  @OneToMany(() => CustomerIdentifierEntity, (i) => i.customer, { cascade: ['insert'] })
  identifiers!: CustomerIdentifierEntity[];

  /** Which source record supplied each golden value (identity resolution's survivorship). */
  @Column({ type: 'jsonb', default: () => "'{}'" })
  lineage!: CustomerLineage;

  @VersionColumn()
  version!: number;

  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' })
  createdAt!: Date;

  @UpdateDateColumn({ name: 'updated_at', type: 'timestamptz' })
  updatedAt!: Date;
}
