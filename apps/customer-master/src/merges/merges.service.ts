import { randomUUID } from 'node:crypto';

import { withDataScope, type DataScope } from '@bank-crm/auth';
import { CustomerMergedV1, CustomerUnmergedV1, SourceRecordLinkedV1 } from '@bank-crm/contracts';
import { Injectable } from '@nestjs/common';
import { DataSource, type EntityManager } from 'typeorm';

import { EventPublisher } from '../customer-view/event-publisher';
import { FieldErrorException } from '../common/field-error.exception';
import { pgError, PG_EXCLUSION_VIOLATION, updateReturning } from '../common/pg-errors';
import {
  CustomerMergedException,
  CustomerNotFoundException,
} from '../customers/customer.exception';
import { maskIdentifiers } from '../customers/customer.mapper';
import { recordLinkHistory } from '../source-records/link-history';
import { MergeRefusedException, NoActiveMergeException } from './merge.exception';

export interface MergeOptions {
  correlationId: string;
  causationId?: string;
  actorUserId?: string;
}

/** What a merge moved from one absorbed customer, kept to undo it. */
interface Moved {
  identifiers: { idType: string; number: string }[];
  relations: { id: string; fromCustomerId: string; toCustomerId: string }[];
  memberships: string[];
  /** Relations and memberships left with the absorbed customer (self-relations, overlaps). */
  keptRelations: string[];
  keptMemberships: string[];
  /** Source records that followed the absorbed customer (absent in merges made before v4). */
  sourceRecords?: { sourceSystem: string; sourceKey: string }[];
}

export interface MergeResult {
  mergeId: string;
  survivorId: string;
  absorbedIds: string[];
  movedRelationIds: string[];
  movedMembershipIds: string[];
  keptRelationIds: string[];
  keptMembershipIds: string[];
}

export interface UnmergeResult {
  mergeId: string;
  survivorId: string;
  restoredId: string;
  returnedSourceRecords: { sourceSystem: string; sourceKey: string }[];
  returnedRelationIds: string[];
  returnedMembershipIds: string[];
}

interface CustomerRow {
  id: string;
  party_type: string;
  merged_into: string | null;
}

@Injectable()
export class MergesService {
  constructor(
    private readonly dataSource: DataSource,
    private readonly events: EventPublisher,
  ) {}

  /**
   * Merges customers found to be one real customer into a survivor, inside the caller's
   * transaction: identifiers, relations and group memberships move to the survivor (a relation
   * that would link the survivor to itself, or would overlap one the survivor has, stays with
   * the absorbed customer), absorbed ids redirect to the survivor (earlier redirects to them are
   * re-pointed), and customer.merged is published.
   */
  async mergeCustomers(
    survivorId: string,
    absorbedIds: string[],
    cause: string,
    manager: EntityManager,
    options: MergeOptions,
  ): Promise<MergeResult> {
    if (absorbedIds.length === 0) {
      throw new FieldErrorException([
        { field: 'absorbedIds', message: 'name at least one customer' },
      ]);
    }
    if (new Set(absorbedIds).size !== absorbedIds.length) {
      throw new FieldErrorException([{ field: 'absorbedIds', message: 'an id is listed twice' }]);
    }
    if (absorbedIds.includes(survivorId)) {
      throw new FieldErrorException([
        { field: 'absorbedIds', message: 'the survivor cannot absorb itself' },
      ]);
    }
    const all = [survivorId, ...absorbedIds].sort();
    const rows = (await manager.query(
      'SELECT id, party_type, merged_into FROM customer WHERE id = ANY($1::uuid[]) ORDER BY id FOR UPDATE',
      [all],
    )) as CustomerRow[];
    const byId = new Map(rows.map((r) => [r.id, r]));
    const live = (id: string): CustomerRow => {
      const row = byId.get(id);
      if (!row) throw new CustomerNotFoundException(id);
      if (row.merged_into) throw new CustomerMergedException(id, row.merged_into);
      return row;
    };
    const survivor = live(survivorId);
    for (const id of absorbedIds) {
      const absorbed = live(id);
      if (absorbed.party_type !== survivor.party_type) {
        throw new MergeRefusedException(
          `${id} is an ${absorbed.party_type}, the survivor an ${survivor.party_type}`,
        );
      }
    }

    const mergeId = randomUUID();
    const result: MergeResult = {
      mergeId,
      survivorId,
      absorbedIds,
      movedRelationIds: [],
      movedMembershipIds: [],
      keptRelationIds: [],
      keptMembershipIds: [],
    };
    const absorbedSet = new Set(absorbedIds);
    const target = (id: string) => (absorbedSet.has(id) ? survivorId : id);

    for (const absorbedId of absorbedIds) {
      const moved: Moved = {
        identifiers: [],
        relations: [],
        memberships: [],
        keptRelations: [],
        keptMemberships: [],
      };
      moved.identifiers = await updateReturning<{ idType: string; number: string }>(
        manager,
        `UPDATE customer_identifier SET customer_id = $2 WHERE customer_id = $1
         RETURNING id_type AS "idType", number`,
        [absorbedId, survivorId],
      );

      moved.sourceRecords = await updateReturning<{ sourceSystem: string; sourceKey: string }>(
        manager,
        `UPDATE source_record SET customer_id = $2 WHERE customer_id = $1
         RETURNING source_system AS "sourceSystem", source_key AS "sourceKey"`,
        [absorbedId, survivorId],
      );
      await recordLinkHistory(manager, moved.sourceRecords, survivorId, absorbedId, 'merge', {
        note: cause,
        actorUserId: options.actorUserId,
      });

      const relations = (await manager.query(
        `SELECT id, from_customer_id, to_customer_id FROM customer_relation
         WHERE from_customer_id = $1 OR to_customer_id = $1 ORDER BY id`,
        [absorbedId],
      )) as { id: string; from_customer_id: string; to_customer_id: string }[];
      for (const r of relations) {
        const from = target(r.from_customer_id);
        const to = target(r.to_customer_id);
        const ok =
          from !== to &&
          (await this.tryInSavepoint(manager, () =>
            manager.query(
              'UPDATE customer_relation SET from_customer_id = $2, to_customer_id = $3 WHERE id = $1',
              [r.id, from, to],
            ),
          ));
        if (ok) {
          moved.relations.push({
            id: r.id,
            fromCustomerId: r.from_customer_id,
            toCustomerId: r.to_customer_id,
          });
        } else moved.keptRelations.push(r.id);
      }

      const memberships = (await manager.query(
        'SELECT id FROM group_membership WHERE customer_id = $1 ORDER BY id',
        [absorbedId],
      )) as { id: string }[];
      for (const m of memberships) {
        const ok = await this.tryInSavepoint(manager, () =>
          manager.query('UPDATE group_membership SET customer_id = $2 WHERE id = $1', [
            m.id,
            survivorId,
          ]),
        );
        if (ok) moved.memberships.push(m.id);
        else moved.keptMemberships.push(m.id);
      }

      await manager.query(
        `UPDATE customer SET merged_into = $2, merged_at = now(), version = version + 1, updated_at = now()
         WHERE id = $1`,
        [absorbedId, survivorId],
      );
      // ids absorbed earlier into this one now redirect straight to the survivor
      await manager.query('UPDATE customer SET merged_into = $2 WHERE merged_into = $1', [
        absorbedId,
        survivorId,
      ]);
      await manager.query(
        `INSERT INTO customer_merge (merge_id, survivor_id, absorbed_id, cause, actor_user_id, moved)
         VALUES ($1, $2, $3, $4, $5, $6)`,
        [
          mergeId,
          survivorId,
          absorbedId,
          cause,
          options.actorUserId ?? null,
          JSON.stringify(moved),
        ],
      );
      result.movedRelationIds.push(...moved.relations.map((r) => r.id));
      result.movedMembershipIds.push(...moved.memberships);
      result.keptRelationIds.push(...moved.keptRelations);
      result.keptMembershipIds.push(...moved.keptMemberships);
    }

    const [{ version, updated_at }] = await updateReturning<{ version: number; updated_at: Date }>(
      manager,
      `UPDATE customer SET version = version + 1, updated_at = now() WHERE id = $1
       RETURNING version, updated_at`,
      [survivorId],
    );
    await this.events.publish(manager, CustomerMergedV1, {
      subject: survivorId,
      subjectVersion: version,
      correlationId: options.correlationId,
      ...(options.causationId ? { causationId: options.causationId } : {}),
      payload: {
        mergeId,
        survivorId,
        absorbedIds,
        cause,
        survivorIdentifiers: maskIdentifiers(await this.identifiers(manager, survivorId)),
        movedRelationIds: result.movedRelationIds,
        movedMembershipIds: result.movedMembershipIds,
        mergedAt: updated_at.toISOString(),
        ...(options.actorUserId ? { actorUserId: options.actorUserId } : {}),
      },
    });
    return result;
  }

  /** The HTTP entry: one transaction around mergeCustomers. */
  merge(
    survivorId: string,
    absorbedIds: string[],
    cause: string,
    options: MergeOptions,
    scope: DataScope,
  ): Promise<MergeResult> {
    return withDataScope(this.dataSource, scope, (manager) =>
      this.mergeCustomers(survivorId, absorbedIds, cause, manager, options),
    );
  }

  /**
   * Undoes the merge that absorbed `restoredId`: it exists on its own again with the identifiers,
   * relations and memberships it brought in (those still with the survivor), and publishes
   * customer.unmerged.
   */
  async unmerge(
    restoredId: string,
    cause: string,
    options: MergeOptions,
    scope: DataScope,
  ): Promise<UnmergeResult> {
    return withDataScope(this.dataSource, scope, async (manager) => {
      const [merge] = (await manager.query(
        `SELECT merge_id, survivor_id, moved FROM customer_merge
         WHERE absorbed_id = $1 AND unmerged_at IS NULL FOR UPDATE`,
        [restoredId],
      )) as { merge_id: string; survivor_id: string; moved: Moved }[];
      if (!merge) throw new NoActiveMergeException(restoredId);
      const survivorId = merge.survivor_id;
      await manager.query(
        'SELECT id FROM customer WHERE id = ANY($1::uuid[]) ORDER BY id FOR UPDATE',
        [[survivorId, restoredId]],
      );
      const [survivor] = (await manager.query('SELECT merged_into FROM customer WHERE id = $1', [
        survivorId,
      ])) as { merged_into: string | null }[];
      if (survivor.merged_into) {
        throw new MergeRefusedException(
          `the survivor ${survivorId} was itself merged into ${survivor.merged_into}; unmerge that first`,
        );
      }
      const moved = merge.moved;
      for (const i of moved.identifiers) {
        await manager.query(
          'UPDATE customer_identifier SET customer_id = $3 WHERE id_type = $1 AND number = $2 AND customer_id = $4',
          [i.idType, i.number, restoredId, survivorId],
        );
      }
      const returnedRecords: { sourceSystem: string; sourceKey: string }[] = [];
      for (const r of moved.sourceRecords ?? []) {
        const rows = await updateReturning(
          manager,
          `UPDATE source_record SET customer_id = $3
           WHERE source_system = $1 AND source_key = $2 AND customer_id = $4 RETURNING 1`,
          [r.sourceSystem, r.sourceKey, restoredId, survivorId],
        );
        if (rows.length > 0) returnedRecords.push(r);
      }
      await recordLinkHistory(manager, returnedRecords, restoredId, survivorId, 'unmerge', {
        note: cause,
        actorUserId: options.actorUserId,
      });
      const returnedRelationIds: string[] = [];
      for (const r of moved.relations) {
        const ok = await this.tryInSavepoint(manager, async () => {
          const rows = await updateReturning(
            manager,
            `UPDATE customer_relation SET from_customer_id = $2, to_customer_id = $3
             WHERE id = $1 AND (from_customer_id = $4 OR to_customer_id = $4) RETURNING id`,
            [r.id, r.fromCustomerId, r.toCustomerId, survivorId],
          );
          if (rows.length === 0) throw new Error('relation no longer with the survivor');
        });
        if (ok) returnedRelationIds.push(r.id);
      }
      const returnedMembershipIds: string[] = [];
      for (const id of moved.memberships) {
        const ok = await this.tryInSavepoint(manager, async () => {
          const rows = await updateReturning(
            manager,
            'UPDATE group_membership SET customer_id = $2 WHERE id = $1 AND customer_id = $3 RETURNING id',
            [id, restoredId, survivorId],
          );
          if (rows.length === 0) throw new Error('membership no longer with the survivor');
        });
        if (ok) returnedMembershipIds.push(id);
      }
      await manager.query(
        `UPDATE customer SET merged_into = NULL, merged_at = NULL, version = version + 1, updated_at = now()
         WHERE id = $1`,
        [restoredId],
      );
      await manager.query(
        `UPDATE customer_merge SET unmerged_at = now(), unmerge_cause = $3
         WHERE merge_id = $1 AND absorbed_id = $2`,
        [merge.merge_id, restoredId, cause],
      );
      const [{ version, updated_at }] = await updateReturning<{
        version: number;
        updated_at: Date;
      }>(
        manager,
        `UPDATE customer SET version = version + 1, updated_at = now() WHERE id = $1
         RETURNING version, updated_at`,
        [survivorId],
      );
      await this.events.publish(manager, CustomerUnmergedV1, {
        subject: survivorId,
        subjectVersion: version,
        correlationId: options.correlationId,
        payload: {
          mergeId: merge.merge_id,
          survivorId,
          restoredId,
          cause,
          survivorIdentifiers: maskIdentifiers(await this.identifiers(manager, survivorId)),
          restoredIdentifiers: maskIdentifiers(await this.identifiers(manager, restoredId)),
          returnedRelationIds,
          returnedMembershipIds,
          unmergedAt: updated_at.toISOString(),
          ...(options.actorUserId ? { actorUserId: options.actorUserId } : {}),
        },
      });
      // account-bridge re-keys the accounts of every record that moved back
      for (const r of returnedRecords) {
        await this.events.publish(manager, SourceRecordLinkedV1, {
          subject: `${r.sourceSystem}:${r.sourceKey}`,
          correlationId: options.correlationId,
          payload: {
            sourceSystem: r.sourceSystem,
            sourceKey: r.sourceKey,
            customerId: restoredId,
            previousCustomerId: survivorId,
            linkedAt: updated_at.toISOString(),
          },
        });
      }
      return {
        mergeId: merge.merge_id,
        survivorId,
        restoredId,
        returnedSourceRecords: returnedRecords,
        returnedRelationIds,
        returnedMembershipIds,
      };
    });
  }

  private async identifiers(
    manager: EntityManager,
    customerId: string,
  ): Promise<{ idType: string; number: string }[]> {
    return (await manager.query(
      'SELECT id_type AS "idType", number FROM customer_identifier WHERE customer_id = $1',
      [customerId],
    )) as { idType: string; number: string }[];
  }

  /** Runs a statement in a savepoint; false (and rolled back) when it breaks a period rule. */
  private async tryInSavepoint(
    manager: EntityManager,
    run: () => Promise<unknown>,
  ): Promise<boolean> {
    await manager.query('SAVEPOINT merge_step');
    try {
      await run();
      await manager.query('RELEASE SAVEPOINT merge_step');
      return true;
    } catch (error) {
      await manager.query('ROLLBACK TO SAVEPOINT merge_step');
      if (pgError(error) && pgError(error)?.code !== PG_EXCLUSION_VIOLATION) throw error;
      return false;
    }
  }
}
