import { Column, Entity, JoinColumn, ManyToOne, PrimaryColumn } from 'typeorm';

import type { CustomerEntity } from './customer.entity';

/** An identity document number of a customer, normalised; one number belongs to one customer. */
@Entity({ name: 'customer_identifier' })
export class CustomerIdentifierEntity {
  @PrimaryColumn({ name: 'id_type', type: 'varchar', length: 32 })
  idType!: string;

  @PrimaryColumn({ type: 'varchar', length: 64 })
  number!: string;

  @Column({ name: 'customer_id', type: 'uuid' })
  customerId!: string;

  @ManyToOne('CustomerEntity', 'identifiers', { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'customer_id' })
  customer!: CustomerEntity;
}
