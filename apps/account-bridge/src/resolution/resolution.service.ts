import {
  AccountHolderLinkedV1,
  AccountHolderUnlinkedV1,
  type CustomerMergedV1Payload,
  type CustomerUnmergedV1Payload,
  type SourceRecordLinkedV1Payload,
} from '@bank-crm/contracts';
import type { OutboxWriter } from '@bank-crm/messaging';
import type { EntityManager } from 'typeorm';

import { AccountIngestor, lockParties, type IngestMeta } from '../accounts/account-ingestor';
import { HoldingsChanges } from '../accounts/holdings';

interface ActiveLink {
  accountId: string;
  sourceSystem: string;
  partySourceKey: string;
  role: string;
  validFrom: string | null;
}

export type LinkOutcome = 'linked' | 'relinked' | 'unchanged' | 'stale';

/**
 * The handshake with customer-master: the cross-reference source party record -> customer, kept
 * from `customer-master.source-record.linked.v1`, re-keyed on merges. Every account link of a
 * party follows its customer: holder linked/unlinked events and the holdings of both customers.
 */
export class ResolutionHandler {
  constructor(
    private readonly outbox: OutboxWriter,
    private readonly accounts: AccountIngestor,
  ) {}

  /** The survivor an absorbed customer id redirects to (itself when not absorbed). */
  async currentCustomerId(manager: EntityManager, customerId: string): Promise<string> {
    const [row]: { survivorId: string }[] = await manager.query(
      'SELECT survivor_id AS "survivorId" FROM customer_redirect WHERE absorbed_id = $1',
      [customerId],
    );
    return row?.survivorId ?? customerId;
  }

  async onSourceRecordLinked(
    manager: EntityManager,
    p: SourceRecordLinkedV1Payload,
    meta: IngestMeta,
  ): Promise<LinkOutcome> {
    const customerId = await this.currentCustomerId(manager, p.customerId);
    await lockParties(manager, [`${p.sourceSystem}:${p.sourceKey}`]);
    const [before]: { customerId: string; linkedAt: Date }[] = await manager.query(
      `SELECT customer_id AS "customerId", linked_at AS "linkedAt" FROM party_customer
        WHERE source_system = $1 AND source_key = $2`,
      [p.sourceSystem, p.sourceKey],
    );
    if (before && before.linkedAt.getTime() > Date.parse(p.linkedAt)) return 'stale';
    await manager.query(
      `INSERT INTO party_customer (source_system, source_key, customer_id, linked_at, updated_at)
       VALUES ($1, $2, $3, $4, now())
       ON CONFLICT (source_system, source_key) DO UPDATE
         SET customer_id = EXCLUDED.customer_id, linked_at = EXCLUDED.linked_at, updated_at = now()`,
      [p.sourceSystem, p.sourceKey, customerId, p.linkedAt],
    );
    if (before?.customerId === customerId) return 'unchanged';
    const links = await this.activeLinks(manager, [[p.sourceSystem, p.sourceKey]]);
    const changes = new HoldingsChanges();
    await this.moveLinks(
      manager,
      links,
      before?.customerId ?? null,
      customerId,
      'customer-resolved',
      changes,
      meta,
    );
    await this.accounts.publishHoldings(manager, changes, meta);
    return before ? 'relinked' : 'linked';
  }

  async onCustomerMerged(
    manager: EntityManager,
    p: CustomerMergedV1Payload,
    meta: IngestMeta,
  ): Promise<number> {
    const survivor = await this.currentCustomerId(manager, p.survivorId);
    await manager.query(
      `INSERT INTO customer_redirect (absorbed_id, survivor_id, merge_id, merged_at)
       SELECT a, $2, $3, $4 FROM unnest($1::uuid[]) AS a
       ON CONFLICT (absorbed_id) DO UPDATE SET survivor_id = EXCLUDED.survivor_id,
         merge_id = EXCLUDED.merge_id, merged_at = EXCLUDED.merged_at`,
      [p.absorbedIds, survivor, p.mergeId, p.mergedAt],
    );
    // customers merged earlier into an id absorbed now follow it to the survivor
    await manager.query(
      'UPDATE customer_redirect SET survivor_id = $2 WHERE survivor_id = ANY($1::uuid[])',
      [p.absorbedIds, survivor],
    );
    const parties: { key: string }[] = await manager.query(
      `SELECT source_system || ':' || source_key AS key FROM party_customer
        WHERE customer_id = ANY($1::uuid[])`,
      [p.absorbedIds],
    );
    await lockParties(
      manager,
      parties.map((x) => x.key),
    );
    const moved: { sourceSystem: string; sourceKey: string; customerId: string }[] =
      await manager.query(
        `SELECT source_system AS "sourceSystem", source_key AS "sourceKey", customer_id AS "customerId"
           FROM party_customer WHERE customer_id = ANY($1::uuid[]) FOR UPDATE`,
        [p.absorbedIds],
      );
    if (moved.length === 0) return 0;
    await manager.query(
      'UPDATE party_customer SET customer_id = $2, updated_at = now() WHERE customer_id = ANY($1::uuid[])',
      [p.absorbedIds, survivor],
    );
    const changes = new HoldingsChanges();
    for (const absorbed of p.absorbedIds) {
      const parties = moved.filter((m) => m.customerId === absorbed);
      if (parties.length === 0) continue;
      const links = await this.activeLinks(
        manager,
        parties.map((m) => [m.sourceSystem, m.sourceKey]),
      );
      await this.moveLinks(
        manager,
        links,
        absorbed,
        survivor,
        'customer-merged',
        changes,
        meta,
        false,
      );
    }
    await this.accounts.publishHoldings(manager, changes, meta);
    return moved.length;
  }

  /**
   * The restored customer no longer redirects. Its party records move back with the
   * source-record.linked events customer-master publishes for them (previousCustomerId = survivor).
   */
  async onCustomerUnmerged(manager: EntityManager, p: CustomerUnmergedV1Payload): Promise<void> {
    await manager.query('DELETE FROM customer_redirect WHERE absorbed_id = $1', [p.restoredId]);
  }

  private async activeLinks(
    manager: EntityManager,
    parties: [string, string][],
  ): Promise<ActiveLink[]> {
    return manager.query(
      `SELECT account_id AS "accountId", source_system AS "sourceSystem",
              party_source_key AS "partySourceKey", role, valid_from::text AS "validFrom"
         FROM account_holder
        WHERE valid_to IS NULL
          AND (source_system, party_source_key) IN (SELECT * FROM unnest($1::text[], $2::text[]))
        ORDER BY account_id, party_source_key, role`,
      [parties.map((p) => p[0]), parties.map((p) => p[1])],
    );
  }

  private async moveLinks(
    manager: EntityManager,
    links: ActiveLink[],
    from: string | null,
    to: string,
    cause: 'customer-resolved' | 'customer-merged',
    changes: HoldingsChanges,
    meta: IngestMeta,
    refreshFrom = true,
  ): Promise<void> {
    const now = new Date().toISOString();
    const common = (meta.causationId ? { causationId: meta.causationId } : {}) as {
      causationId?: string;
    };
    for (const link of links) {
      if (from) {
        await this.outbox.append(manager, AccountHolderUnlinkedV1, {
          subject: link.accountId,
          correlationId: meta.correlationId,
          ...common,
          payload: {
            accountId: link.accountId,
            customerId: from,
            role: link.role as 'primary-holder',
            sourceSystem: link.sourceSystem,
            partySourceKey: link.partySourceKey,
            cause,
            unlinkedAt: now,
          },
        });
        // an absorbed customer's holdings are not republished: its id redirects to the survivor
        if (refreshFrom) changes.add(from, 'link-changed', link.accountId);
      }
      await this.outbox.append(manager, AccountHolderLinkedV1, {
        subject: link.accountId,
        correlationId: meta.correlationId,
        ...common,
        payload: {
          accountId: link.accountId,
          customerId: to,
          role: link.role as 'primary-holder',
          sourceSystem: link.sourceSystem,
          partySourceKey: link.partySourceKey,
          validFrom: link.validFrom,
          cause,
          linkedAt: now,
        },
      });
      changes.add(to, 'link-changed', link.accountId);
    }
    if (links.length === 0) changes.add(to, 'link-changed');
  }
}
