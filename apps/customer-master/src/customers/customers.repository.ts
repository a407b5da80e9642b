import { Injectable } from '@nestjs/common';
import { DataSource, In, type EntityManager } from 'typeorm';

import { todayUtc } from '../common/dates';
import { FieldErrorException } from '../common/field-error.exception';
import { CustomerEntity } from './customer.entity';
import { CustomerMergedException, CustomerNotFoundException } from './customer.exception';

export interface CustomerFilter {
  status?: string;
  category?: string;
  tier?: string;
  rm?: string;
  groupId?: string;
  /** Name words; each must occur in the display or Latin name (spaces and case ignored). */
  nameWords?: string[];
  /** Stored forms of an identifier number (see identifierSearchForms). */
  identifierForms?: string[];
  identifierType?: string;
  /** A normalised phone number. */
  phone?: string;
  /** Limit to one relationship manager's portfolio (RM data scope). */
  rmScope?: string;
}

function likeWord(word: string): string {
  return `%${word.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
}

@Injectable()
export class CustomersRepository {
  constructor(private readonly dataSource: DataSource) {}

  async findById(id: string, manager?: EntityManager): Promise<CustomerEntity | null> {
    return (manager ?? this.dataSource.manager).findOne(CustomerEntity, {
      where: { id },
      relations: { identifiers: true },
    });
  }

  /** Takes the row lock of a customer (for changes); false when it does not exist. */
  async lock(manager: EntityManager, id: string): Promise<boolean> {
    const rows: unknown[] = await manager.query(
      'SELECT id FROM customer WHERE id = $1 FOR UPDATE',
      [id],
    );
    return rows.length > 0;
  }

  /**
   * Checks that a customer exists and was not merged away, taking a share lock so a merge cannot
   * absorb it before the caller commits. A customer named in a request body (`field`) that does
   * not exist is a 400 for that field; a path customer a 404.
   */
  async requireLive(manager: EntityManager, id: string, field?: string): Promise<void> {
    const [row] = (await manager.query('SELECT merged_into FROM customer WHERE id = $1 FOR SHARE', [
      id,
    ])) as { merged_into: string | null }[];
    if (!row) {
      if (field) throw new FieldErrorException([{ field, message: `no customer ${id}` }]);
      throw new CustomerNotFoundException(id);
    }
    if (row.merged_into) throw new CustomerMergedException(id, row.merged_into);
  }

  /** The id to read for a requested id: itself, or its survivor after a merge. */
  async resolve(id: string, manager: EntityManager = this.dataSource.manager): Promise<string> {
    const [row] = (await manager.query(
      'SELECT coalesce(merged_into, id) AS id FROM customer WHERE id = $1',
      [id],
    )) as { id: string }[];
    if (!row) throw new CustomerNotFoundException(id);
    return row.id;
  }

  /** One page of live (not merged) customers matching the filter, newest first. */
  async search(
    filter: CustomerFilter,
    window: { offset: number; pageSize: number },
    manager: EntityManager = this.dataSource.manager,
  ): Promise<{ items: CustomerEntity[]; total: number }> {
    const where = ['c.merged_into IS NULL'];
    const params: unknown[] = [];
    const p = (value: unknown) => {
      params.push(value);
      return `$${params.length}`;
    };
    if (filter.status) where.push(`c.status = ${p(filter.status)}`);
    if (filter.category) where.push(`c.category = ${p(filter.category)}`);
    if (filter.tier) where.push(`c.value_tier = ${p(filter.tier)}`);
    if (filter.rm) where.push(`c.relationship_manager_id = ${p(filter.rm)}`);
    if (filter.rmScope !== undefined)
      where.push(`c.relationship_manager_id = ${p(filter.rmScope)}`);
    if (filter.groupId) {
      const today = p(todayUtc());
      where.push(`EXISTS (SELECT 1 FROM group_membership m WHERE m.customer_id = c.id
        AND m.group_id = ${p(filter.groupId)} AND m.valid_from <= ${today}::date
        AND (m.valid_to IS NULL OR m.valid_to > ${today}::date))`);
    }
    for (const word of filter.nameWords ?? []) {
      where.push(`c.search_name LIKE ${p(likeWord(word))} ESCAPE '\\'`);
    }
    if (filter.identifierForms?.length) {
      const type = filter.identifierType ? ` AND i.id_type = ${p(filter.identifierType)}` : '';
      where.push(`EXISTS (SELECT 1 FROM customer_identifier i WHERE i.customer_id = c.id
        AND i.number = ANY(${p(filter.identifierForms)}::varchar[])${type})`);
    }
    if (filter.phone)
      where.push(`c.phones @> ${p(JSON.stringify([{ number: filter.phone }]))}::jsonb`);

    const rows: { id: string; total: string }[] = await manager.query(
      `SELECT c.id, count(*) OVER () AS total FROM customer c WHERE ${where.join(' AND ')}
       ORDER BY c.created_at DESC, c.id LIMIT ${p(window.pageSize)} OFFSET ${p(window.offset)}`,
      params,
    );
    if (rows.length === 0) {
      const [count] = await manager.query(
        `SELECT count(*)::int AS n FROM customer c WHERE ${where.join(' AND ')}`,
        params.slice(0, params.length - 2),
      );
      return { items: [], total: (count as { n: number }).n };
    }
    const ids = rows.map((r) => r.id);
    const entities = await manager.getRepository(CustomerEntity).find({
      where: { id: In(ids) },
      relations: { identifiers: true },
    });
    const byId = new Map(entities.map((e) => [e.id, e]));
    return {
      items: ids.map((id) => byId.get(id)).filter((e): e is CustomerEntity => e !== undefined),
      total: Number(rows[0].total),
    };
  }
}
