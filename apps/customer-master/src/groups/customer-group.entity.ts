import {
  Column,
  CreateDateColumn,
  Entity,
  PrimaryColumn,
  UpdateDateColumn,
  VersionColumn,
} from 'typeorm';

export type GroupKind = 'entity' | 'managed-list';

/** An entity group (household, corporate group) or a managed list of customers. */
@Entity({ name: 'customer_group' })
export class CustomerGroupEntity {
  @PrimaryColumn({ type: 'uuid' })
  id!: string;

  @Column({ type: 'varchar', length: 16 })
  kind!: GroupKind;

  @Column({ name: 'group_type', type: 'varchar', length: 64 })
  groupType!: string;

  @Column({ type: 'varchar', length: 256 })
  name!: string;

  @Column({ type: 'varchar', length: 2000, nullable: true })
  description!: string | null;

  @Column({ name: 'owner_user_id', type: 'varchar', length: 128, nullable: true })
  ownerUserId!: string | null;

  @VersionColumn()
  version!: number;

  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' })
  createdAt!: Date;

  @UpdateDateColumn({ name: 'updated_at', type: 'timestamptz' })
  updatedAt!: Date;
}
