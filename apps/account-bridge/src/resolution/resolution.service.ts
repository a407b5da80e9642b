import {
  AccountHolderLinkedV1,
  AccountHolderUnlinkedV1,
  type CustomerMergedV1Payload,
  type CustomerUnmergedV1Payload,
  type SourceRecordLinkedV1Payload,
} from '@bank-crm/contracts';
import type { OutboxAppend, OutboxWriter } from '@bank-crm/messaging';
import type { EntityManager } from 'typeorm';

import {
  AccountIngestor,
  lockParties,
  type IngestMeta,
  type IngestTrace,
} from '../accounts/account-ingestor';
import { HoldingsChanges } from '../accounts/holdings';
import { ACTIVE_LINKS_SQL, PARTY_LINKS_SQL } from '../accounts/key-reads';

interface ActiveLink {
  accountId: string;
  sourceSystem: string;
  partySourceKey: string;
  role: string;
  validFrom: string | null;
}

export type LinkOutcome = 'linked' | 'relinked' | 'unchanged' | 'stale';

/** A party record of a chunk: its link to a customer (if any), and whether the chunk changed it. */
interface PartyLink {
  sourceSystem: string;
  sourceKey: string;
  link?: { customerId: string; linkedAt: number };
  write: boolean;
}

/** A party record's key in this module's maps (NUL cannot occur in a system or key). */
const partyOf = (system: string, key: string) => `${system}\u0000${key}`;

/** One source-record.linked event of a chunk, with its message's own ids. */
export interface LinkedEvent {
  payload: SourceRecordLinkedV1Payload;
  trace: IngestTrace;
}

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

  /** The survivor each absorbed customer id redirects to (ids not absorbed are left out). */
  private async survivorsOf(
    manager: EntityManager,
    customerIds: string[],
  ): Promise<Map<string, string>> {
    const rows: { absorbedId: string; survivorId: string }[] = await manager.query(
      `SELECT absorbed_id AS "absorbedId", survivor_id AS "survivorId" FROM customer_redirect
        WHERE absorbed_id = ANY($1::uuid[])`,
      [[...new Set(customerIds)]],
    );
    return new Map(rows.map((r) => [r.absorbedId, r.survivorId]));
  }

  /**
   * Applies a chunk of source-record.linked events with a fixed number of statements, whatever
   * its size: the redirects, the parties' current links, one upsert of the new links, their
   * active holder rows, one outbox insert; holdings follow at the end of the transaction. Events
   * of one party apply in the chunk's order (a later one may move the party again); an event older
   * than the party's current link is stale and changes nothing. The caller holds the transaction
   * and has taken the chunk's party locks (lockParties).
   */
  async onSourceRecordsLinked(
    manager: EntityManager,
    events: LinkedEvent[],
    meta: IngestMeta,
  ): Promise<LinkOutcome[]> {
    if (events.length === 0) return [];
    const survivors = await this.survivorsOf(
      manager,
      events.map((e) => e.payload.customerId),
    );
    // each party's link as it stands, then as each event of the chunk leaves it
    const parties = new Map<string, PartyLink>();
    for (const { payload: p } of events) {
      parties.set(partyOf(p.sourceSystem, p.sourceKey), {
        sourceSystem: p.sourceSystem,
        sourceKey: p.sourceKey,
        write: false,
      });
    }
    const keys = [...parties.values()];
    const current: {
      sourceSystem: string;
      sourceKey: string;
      customerId: string;
      linkedAt: Date;
    }[] = await manager.query(PARTY_LINKS_SQL, [
      keys.map((k) => k.sourceSystem),
      keys.map((k) => k.sourceKey),
    ]);
    for (const r of current) {
      const party = parties.get(partyOf(r.sourceSystem, r.sourceKey));
      if (party) party.link = { customerId: r.customerId, linkedAt: r.linkedAt.getTime() };
    }
    const outcomes: LinkOutcome[] = [];
    const moves: { party: PartyLink; from: string | null; to: string; trace: IngestTrace }[] = [];
    for (const { payload, trace } of events) {
      const party = parties.get(partyOf(payload.sourceSystem, payload.sourceKey));
      if (!party) continue; // every event's party was put in above
      const before = party.link;
      const linkedAt = Date.parse(payload.linkedAt);
      if (before && before.linkedAt > linkedAt) {
        outcomes.push('stale');
        continue;
      }
      const customerId = survivors.get(payload.customerId) ?? payload.customerId;
      party.link = { customerId, linkedAt };
      party.write = true;
      if (before?.customerId === customerId) {
        outcomes.push('unchanged');
        continue;
      }
      moves.push({ party, from: before?.customerId ?? null, to: customerId, trace });
      outcomes.push(before ? 'relinked' : 'linked');
    }
    const writes = keys.flatMap((k) => (k.write && k.link ? [{ ...k, link: k.link }] : []));
    if (writes.length > 0) {
      await manager.query(
        `INSERT INTO party_customer (source_system, source_key, customer_id, linked_at, updated_at)
         SELECT s, k, c, l, now() FROM unnest($1::text[], $2::text[], $3::uuid[], $4::timestamptz[])
             AS w(s, k, c, l)
         ON CONFLICT (source_system, source_key) DO UPDATE
           SET customer_id = EXCLUDED.customer_id, linked_at = EXCLUDED.linked_at, updated_at = now()`,
        [
          writes.map((w) => w.sourceSystem),
          writes.map((w) => w.sourceKey),
          writes.map((w) => w.link.customerId),
          writes.map((w) => new Date(w.link.linkedAt).toISOString()),
        ],
      );
    }
    if (moves.length === 0) return outcomes;
    const moved = [...new Set(moves.map((m) => m.party))];
    const links = await this.activeLinks(
      manager,
      moved.map((p) => [p.sourceSystem, p.sourceKey]),
    );
    const linksOf = new Map<string, ActiveLink[]>();
    for (const link of links) {
      const party = partyOf(link.sourceSystem, link.partySourceKey);
      linksOf.set(party, [...(linksOf.get(party) ?? []), link]);
    }
    const changes = new HoldingsChanges();
    const appends: OutboxAppend[] = [];
    for (const move of moves) {
      appends.push(
        ...this.linkEvents(
          linksOf.get(partyOf(move.party.sourceSystem, move.party.sourceKey)) ?? [],
          move.from,
          move.to,
          'customer-resolved',
          changes,
          move.trace,
        ),
      );
    }
    await this.outbox.appendMany(manager, appends);
    await this.accounts.publishHoldings(manager, changes, meta);
    return outcomes;
  }

  async onCustomerMerged(
    manager: EntityManager,
    p: CustomerMergedV1Payload,
    meta: IngestMeta,
  ): Promise<number> {
    const survivor =
      (await this.survivorsOf(manager, [p.survivorId])).get(p.survivorId) ?? p.survivorId;
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
    const links = await this.activeLinks(
      manager,
      moved.map((m) => [m.sourceSystem, m.sourceKey]),
    );
    const customerOf = new Map(
      moved.map((m) => [partyOf(m.sourceSystem, m.sourceKey), m.customerId]),
    );
    const appends: OutboxAppend[] = [];
    for (const absorbed of p.absorbedIds) {
      if (!moved.some((m) => m.customerId === absorbed)) continue;
      const own = links.filter(
        (l) => customerOf.get(partyOf(l.sourceSystem, l.partySourceKey)) === absorbed,
      );
      // an absorbed customer's holdings are not republished: its id redirects to the survivor
      appends.push(
        ...this.linkEvents(own, absorbed, survivor, 'customer-merged', changes, meta, false),
      );
    }
    await this.outbox.appendMany(manager, appends);
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
    return manager.query(ACTIVE_LINKS_SQL, [parties.map((p) => p[0]), parties.map((p) => p[1])]);
  }

  /** A party's links moving from one customer to another: unlinked/linked events, holdings. */
  private linkEvents(
    links: ActiveLink[],
    from: string | null,
    to: string,
    cause: 'customer-resolved' | 'customer-merged',
    changes: HoldingsChanges,
    trace: IngestTrace,
    refreshFrom = true,
  ): OutboxAppend[] {
    const now = new Date().toISOString();
    const common = {
      correlationId: trace.correlationId,
      ...(trace.causationId ? { causationId: trace.causationId } : {}),
    };
    const out: OutboxAppend[] = [];
    for (const link of links) {
      if (from) {
        out.push({
          definition: AccountHolderUnlinkedV1,
          input: {
            subject: link.accountId,
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
          },
        });
        if (refreshFrom) changes.add(from, 'link-changed', link.accountId);
      }
      out.push({
        definition: AccountHolderLinkedV1,
        input: {
          subject: link.accountId,
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
        },
      });
      changes.add(to, 'link-changed', link.accountId);
    }
    if (links.length === 0) changes.add(to, 'link-changed');
    return out;
  }
}
