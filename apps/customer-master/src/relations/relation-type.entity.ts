import { Column, Entity, PrimaryColumn } from 'typeorm';

/** The configurable catalogue of relation types, each with its reverse (spouse is its own). */
@Entity({ name: 'relation_type' })
export class RelationTypeEntity {
  @PrimaryColumn({ type: 'varchar', length: 64 })
  code!: string;

  @Column({ type: 'varchar', length: 128 })
  label!: string;

  @Column({ name: 'label_zh', type: 'varchar', length: 64, nullable: true })
  labelZh!: string | null;

  @Column({ name: 'reverse_code', type: 'varchar', length: 64 })
  reverseCode!: string;

  @Column({ type: 'boolean', default: true })
  active!: boolean;
}
