import { randomUUID } from 'node:crypto';

import { withDataScope, type DataScope } from '@bank-crm/auth';
import { CustomerRelationAddedV1, CustomerRelationEndedV1 } from '@bank-crm/contracts';
import { Injectable } from '@nestjs/common';
import { DataSource, type EntityManager } from 'typeorm';

import { EventPublisher } from '../customer-view/event-publisher';
import { todayUtc } from '../common/dates';
import { FieldErrorException } from '../common/field-error.exception';
import { pgError, PG_EXCLUSION_VIOLATION } from '../common/pg-errors';
import { endProblem, periodProblem } from '../common/validity';
import { isInScope, portfolioOf, requireInScope } from '../common/caller';
import { CustomersRepository } from '../customers/customers.repository';
import type { AddRelationDto } from './dto/add-relation.dto';
import {
  canonicalDirection,
  relationFromSide,
  type RelationTypePair,
  type RelationView,
  type StoredRelation,
} from './relation-perspective';
import {
  RelationAlreadyEndedException,
  RelationNotFoundException,
  RelationOverlapException,
} from './relation.exception';

interface RelationRow {
  id: string;
  type_code: string;
  from_customer_id: string;
  to_customer_id: string;
  valid_from: string;
  valid_to: string | null;
}

const RELATION_COLUMNS = `id, type_code, from_customer_id, to_customer_id,
  to_char(valid_from, 'YYYY-MM-DD') AS valid_from, to_char(valid_to, 'YYYY-MM-DD') AS valid_to`;

@Injectable()
export class RelationsService {
  constructor(
    private readonly dataSource: DataSource,
    private readonly events: EventPublisher,
    private readonly customers: CustomersRepository,
  ) {}

  /** The relation type catalogue, each with its reverse. */
  async types(
    manager: EntityManager = this.dataSource.manager,
    includeInactive = false,
  ): Promise<RelationTypePair[]> {
    const rows = (await manager.query(
      `SELECT t.code, t.label, t.label_zh, t.reverse_code, r.label AS reverse_label, r.label_zh AS reverse_label_zh
       FROM relation_type t JOIN relation_type r ON r.code = t.reverse_code
       WHERE t.active OR $1 ORDER BY t.code`,
      [includeInactive],
    )) as {
      code: string;
      label: string;
      label_zh: string | null;
      reverse_code: string;
      reverse_label: string;
      reverse_label_zh: string | null;
    }[];
    return rows.map((r) => ({
      code: r.code,
      label: r.label,
      labelZh: r.label_zh,
      reverseCode: r.reverse_code,
      reverseLabel: r.reverse_label,
      reverseLabelZh: r.reverse_label_zh,
    }));
  }

  async add(
    customerId: string,
    dto: AddRelationDto,
    correlationId: string,
    scope: DataScope,
  ): Promise<RelationView> {
    const validFrom = dto.validFrom ?? todayUtc();
    const validTo = dto.validTo ?? null;
    const problem = periodProblem({ validFrom, validTo });
    if (problem) throw new FieldErrorException([{ field: 'validTo', message: problem }]);
    if (dto.counterpartCustomerId === customerId) {
      throw new FieldErrorException([
        { field: 'counterpartCustomerId', message: 'a customer cannot be related to itself' },
      ]);
    }
    const id = randomUUID();
    try {
      return await withDataScope(this.dataSource, scope, async (manager) => {
        await requireInScope(manager, scope, customerId);
        const types = await this.types(manager);
        const type = types.find((t) => t.code === dto.type);
        if (!type) {
          throw new FieldErrorException([
            {
              field: 'type',
              message: `unknown relation type "${dto.type}"; known: ${types.map((t) => t.code).join(', ')}`,
            },
          ]);
        }
        await this.customers.requireLive(manager, customerId);
        await this.customers.requireLive(
          manager,
          dto.counterpartCustomerId,
          'counterpartCustomerId',
        );
        await requireInScope(
          manager,
          scope,
          dto.counterpartCustomerId,
          dto.counterpartCustomerId,
          'counterpartCustomerId',
        );
        const stored = canonicalDirection(type, customerId, dto.counterpartCustomerId);
        const storedType = typeOf(types, stored.typeCode);
        await manager.query(
          `INSERT INTO customer_relation (id, type_code, from_customer_id, to_customer_id, valid_from, valid_to)
           VALUES ($1, $2, $3, $4, $5, $6)`,
          [id, stored.typeCode, stored.fromCustomerId, stored.toCustomerId, validFrom, validTo],
        );
        await this.events.publish(manager, CustomerRelationAddedV1, {
          subject: id,
          correlationId,
          payload: {
            relationId: id,
            fromCustomerId: stored.fromCustomerId,
            toCustomerId: stored.toCustomerId,
            type: { code: storedType.code, label: storedType.label },
            reverseType: { code: storedType.reverseCode, label: storedType.reverseLabel },
            validFrom,
            validTo,
            addedAt: new Date().toISOString(),
          },
        });
        return relationFromSide({ id, ...stored, validFrom, validTo }, storedType, customerId);
      });
    } catch (error) {
      if (pgError(error)?.code === PG_EXCLUSION_VIOLATION)
        throw new RelationOverlapException(dto.type);
      throw error;
    }
  }

  async end(
    relationId: string,
    validTo: string,
    correlationId: string,
    scope: DataScope,
  ): Promise<StoredRelation> {
    return withDataScope(this.dataSource, scope, async (manager) => {
      const [row] = (await manager.query(
        `SELECT ${RELATION_COLUMNS} FROM customer_relation WHERE id = $1 FOR UPDATE`,
        [relationId],
      )) as RelationRow[];
      if (
        !row ||
        !(await isInScope(manager, scope, row.from_customer_id)) ||
        !(await isInScope(manager, scope, row.to_customer_id))
      )
        throw new RelationNotFoundException(relationId);
      const current = { validFrom: row.valid_from, validTo: row.valid_to };
      if (current.validTo !== null) {
        throw new RelationAlreadyEndedException(relationId, `it ended on ${current.validTo}`);
      }
      const problem = endProblem(current, validTo);
      if (problem) throw new FieldErrorException([{ field: 'validTo', message: problem }]);
      await manager.query(
        'UPDATE customer_relation SET valid_to = $2, ended_at = now() WHERE id = $1',
        [relationId, validTo],
      );
      await this.events.publish(manager, CustomerRelationEndedV1, {
        subject: relationId,
        correlationId,
        payload: {
          relationId,
          fromCustomerId: row.from_customer_id,
          toCustomerId: row.to_customer_id,
          typeCode: row.type_code,
          validTo,
          endedAt: new Date().toISOString(),
        },
      });
      return {
        id: relationId,
        fromCustomerId: row.from_customer_id,
        toCustomerId: row.to_customer_id,
        validFrom: row.valid_from,
        validTo,
      };
    });
  }

  /** A customer's relations (an absorbed id answers for its survivor), on a day or all. */
  async list(requestedId: string, asOf: string | null, scope: DataScope): Promise<RelationView[]> {
    return withDataScope(this.dataSource, scope, (manager) =>
      this.listIn(manager, requestedId, asOf, scope),
    );
  }

  private async listIn(
    manager: EntityManager,
    requestedId: string,
    asOf: string | null,
    scope: DataScope,
  ): Promise<RelationView[]> {
    const customerId = await this.customers.resolve(requestedId, manager);
    await requireInScope(manager, scope, customerId, requestedId);
    const params: unknown[] = [customerId];
    let when = '';
    if (asOf) {
      params.push(asOf);
      when = 'AND valid_from <= $2::date AND (valid_to IS NULL OR valid_to > $2::date)';
    }
    const rm = portfolioOf(scope);
    if (rm !== undefined) {
      // a relationship manager sees a relation only when both ends are in the portfolio
      params.push(rm);
      when += ` AND NOT EXISTS (SELECT 1 FROM customer y WHERE y.id IN (from_customer_id, to_customer_id)
                AND y.relationship_manager_id IS DISTINCT FROM $${params.length})`;
    }
    const rows = (await manager.query(
      `SELECT ${RELATION_COLUMNS} FROM customer_relation
       WHERE (from_customer_id = $1 OR to_customer_id = $1) ${when}
         -- a relation left with a customer merged into this one would relate it to itself
         AND NOT EXISTS (SELECT 1 FROM customer x WHERE x.id IN (from_customer_id, to_customer_id)
                         AND x.merged_into = $1)
       ORDER BY valid_from, id`,
      params,
    )) as RelationRow[];
    const types = await this.types(manager, true);
    return rows.map((r) =>
      relationFromSide(
        {
          id: r.id,
          fromCustomerId: r.from_customer_id,
          toCustomerId: r.to_customer_id,
          validFrom: r.valid_from,
          validTo: r.valid_to,
        },
        typeOf(types, r.type_code),
        customerId,
      ),
    );
  }
}

function typeOf(types: RelationTypePair[], code: string): RelationTypePair {
  const type = types.find((t) => t.code === code);
  if (!type) throw new Error(`relation type ${code} is missing from the catalogue`);
  return type;
}
