import { Column, Entity, PrimaryColumn } from 'typeorm';

/** The configurable list of customer categories (personal, private banking, corporate ...). */
@Entity({ name: 'customer_category' })
export class CustomerCategoryEntity {
  @PrimaryColumn({ type: 'varchar', length: 64 })
  code!: string;

  @Column({ type: 'varchar', length: 128 })
  label!: string;

  /** The party type the category is for; null = either. */
  @Column({ name: 'party_type', type: 'varchar', length: 16, nullable: true })
  partyType!: string | null;

  @Column({ type: 'boolean', default: true })
  active!: boolean;

  @Column({ name: 'sort_order', type: 'integer', default: 0 })
  sortOrder!: number;
}
