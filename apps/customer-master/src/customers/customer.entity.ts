import {
  Column,
  CreateDateColumn,
  Entity,
  OneToMany,
  PrimaryColumn,
  UpdateDateColumn,
  VersionColumn,
} from 'typeorm';

import { CustomerIdentifierEntity } from './customer-identifier.entity';

export type PartyType = 'individual' | 'organization';
export type CustomerStatus = 'potential' | 'active' | 'dormant' | 'lost';

@Entity({ name: 'customer' })
export class CustomerEntity {
  /** Permanent id, never reused. */
  @PrimaryColumn({ type: 'uuid' })
  id!: string;

  @Column({ name: 'party_type', type: 'varchar', length: 16 })
  partyType!: PartyType;

  @Column({ type: 'varchar', length: 64 })
  category!: string;

  @Column({ type: 'varchar', length: 16 })
  status!: CustomerStatus;

  @Column({ name: 'display_name', type: 'varchar', length: 512 })
  displayName!: string;

  @Column({ name: 'name_latin', type: 'varchar', length: 512, nullable: true })
  nameLatin!: string | null;

  @Column({ name: 'relationship_manager_id', type: 'varchar', length: 128, nullable: true })
  relationshipManagerId!: string | null;

  @OneToMany(() => CustomerIdentifierEntity, (i) => i.customer, { cascade: ['insert'] })
  identifiers!: CustomerIdentifierEntity[];

  @VersionColumn()
  version!: number;

  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' })
  createdAt!: Date;

  @UpdateDateColumn({ name: 'updated_at', type: 'timestamptz' })
  updatedAt!: Date;
}
