import { Column, Entity, PrimaryColumn } from 'typeorm';

/**
 * "fromCustomer is <type> of toCustomer" for a period (validTo exclusive). Stored in the direction
 * whose type code sorts first, so one real relation has one row whichever side recorded it.
 */
@Entity({ name: 'customer_relation' })
export class CustomerRelationEntity {
  @PrimaryColumn({ type: 'uuid' })
  id!: string;

  @Column({ name: 'type_code', type: 'varchar', length: 64 })
  typeCode!: string;

  @Column({ name: 'from_customer_id', type: 'uuid' })
  fromCustomerId!: string;

  @Column({ name: 'to_customer_id', type: 'uuid' })
  toCustomerId!: string;

  @Column({ name: 'valid_from', type: 'date' })
  validFrom!: string;

  @Column({ name: 'valid_to', type: 'date', nullable: true })
  validTo!: string | null;

  @Column({ name: 'created_at', type: 'timestamptz', default: () => 'now()' })
  createdAt!: Date;

  @Column({ name: 'ended_at', type: 'timestamptz', nullable: true })
  endedAt!: Date | null;
}
