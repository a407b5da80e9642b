import { withDataScope, type DataScope } from '@bank-crm/auth';
import type { CustomerAccountV2 } from '@bank-crm/contracts';
import { Injectable, NotFoundException } from '@nestjs/common';
import { DataSource, type EntityManager } from 'typeorm';

import { isInScope } from '../common/caller';
import { todayUtc } from '../common/dates';
import { isValidOn } from '../common/validity';
import { sumDecimals } from './decimal';

interface Section {
  /** Time of the newest event applied to this part. */
  asOf: string;
}

export interface CustomerView360 {
  customerId: string;
  /** Set when the requested id was absorbed by a merge. */
  redirectedFrom?: string;
  /** Ids merged into this customer whose parts are included. */
  absorbedIds: string[];
  /** The newest asOf of all parts. */
  asOf: string;
  /** Only parts with data are present: a part with no source yet is absent. */
  parts: {
    profile?: Section & Record<string, unknown>;
    relationshipManager?: Section & { relationshipManagerId: string };
    accounts?: Section & {
      openAccountCount: number;
      lastActivityOn: string | null;
      accounts: (CustomerAccountV2 & { customerId: string })[];
      holdings: {
        productType: string;
        currency: string;
        accountCount: number;
        totalBalance: string;
      }[];
    };
    lifecycle?: Section & { status: unknown; history: Record<string, unknown>[] };
    relations?: Section & { items: Record<string, unknown>[] };
    groups?: Section & { items: Record<string, unknown>[] };
  };
}

interface HoldingsData {
  sequence: number;
  asOf: string;
  openAccountCount: number;
  lastActivityOn: string | null;
  accounts: CustomerAccountV2[];
  holdings: { productType: string; currency: string; accountCount: number; totalBalance: string }[];
}

const iso = (d: Date) => d.toISOString();
const latest = (dates: Date[]) => new Date(Math.max(...dates.map((d) => d.getTime())));

/** Reads the unified customer view (360) from the projection tables only. */
@Injectable()
export class CustomerViewService {
  constructor(private readonly dataSource: DataSource) {}

  async view(requestedId: string, scope: DataScope): Promise<CustomerView360> {
    return withDataScope(this.dataSource, scope, (manager) =>
      this.viewIn(manager, requestedId, scope),
    );
  }

  private async viewIn(
    manager: EntityManager,
    requestedId: string,
    scope: DataScope,
  ): Promise<CustomerView360> {
    const customerId = await this.resolve(manager, requestedId);
    // the explicit portfolio check (row-level security hides the same rows again)
    if (!(await isInScope(manager, scope, customerId)))
      throw new NotFoundException(`customer ${requestedId} is not in the view`);
    const ids = await this.absorbedInto(manager, customerId);
    const all = [customerId, ...ids];
    const q = <T>(sql: string, params: unknown[]) => manager.query(sql, params) as Promise<T[]>;

    const [profile] = await q<{ data: Record<string, unknown>; as_of: Date }>(
      'SELECT data, as_of FROM view_customer_profile WHERE customer_id = $1',
      [customerId],
    );
    const holdings = await q<{ customer_id: string; data: HoldingsData; as_of: Date }>(
      'SELECT customer_id, data, as_of FROM view_customer_holdings WHERE customer_id = ANY($1::uuid[]) ORDER BY as_of DESC, customer_id',
      [all],
    );
    const changes = await q<{ data: Record<string, unknown>; as_of: Date }>(
      'SELECT data, as_of FROM view_customer_status_change WHERE customer_id = $1 ORDER BY changed_at, event_id',
      [customerId],
    );
    const relations = await q<{
      relation_id: string;
      from_customer_id: string;
      to_customer_id: string;
      added: {
        type: { code: string; label: string };
        reverseType: { code: string; label: string };
        validFrom: string;
        validTo: string | null;
      };
      ended_valid_to: string | null;
      as_of: Date;
    }>(
      `SELECT relation_id, from_customer_id, to_customer_id, added,
              to_char(ended_valid_to, 'YYYY-MM-DD') AS ended_valid_to, as_of
       FROM view_customer_relation
       WHERE added IS NOT NULL AND (from_customer_id = ANY($1::uuid[]) OR to_customer_id = ANY($1::uuid[]))
       ORDER BY relation_id`,
      [all],
    );
    const memberships = await q<{
      membership_id: string;
      group_id: string;
      added: { group: unknown; role: string; validFrom: string; validTo: string | null };
      ended_valid_to: string | null;
      as_of: Date;
    }>(
      `SELECT membership_id, group_id, added, to_char(ended_valid_to, 'YYYY-MM-DD') AS ended_valid_to, as_of
       FROM view_group_membership WHERE added IS NOT NULL AND customer_id = ANY($1::uuid[])
       ORDER BY membership_id`,
      [all],
    );

    const parts: CustomerView360['parts'] = {};
    const today = todayUtc();
    if (profile) {
      const { relationshipManagerId, ...fields } = profile.data;
      parts.profile = { asOf: iso(profile.as_of), ...fields };
      if (typeof relationshipManagerId === 'string') {
        parts.relationshipManager = { asOf: iso(profile.as_of), relationshipManagerId };
      }
    }
    if (holdings.length) parts.accounts = combineHoldings(holdings);
    if (changes.length) {
      parts.lifecycle = {
        asOf: iso(latest(changes.map((c) => c.as_of))),
        status: profile?.data.status ?? changes[changes.length - 1].data.to,
        history: changes.map((c) => c.data),
      };
    }
    const inView = new Set(all);
    const relationItems = relations
      .filter((r) => !(inView.has(r.from_customer_id) && inView.has(r.to_customer_id)))
      .map((r) => {
        const fromSide = inView.has(r.from_customer_id);
        const validTo = r.ended_valid_to ?? r.added.validTo;
        return {
          relationId: r.relation_id,
          role: fromSide ? r.added.type : r.added.reverseType,
          counterpartCustomerId: fromSide ? r.to_customer_id : r.from_customer_id,
          counterpartRole: fromSide ? r.added.reverseType : r.added.type,
          validFrom: r.added.validFrom,
          validTo,
          current: isValidOn({ validFrom: r.added.validFrom, validTo }, today),
          asOf: r.as_of,
        };
      });
    if (relationItems.length) {
      parts.relations = {
        asOf: iso(latest(relationItems.map((r) => r.asOf))),
        items: relationItems.map(({ asOf: _asOf, ...item }) => item),
      };
    }
    if (memberships.length) {
      parts.groups = {
        asOf: iso(latest(memberships.map((m) => m.as_of))),
        items: memberships.map((m) => {
          const validTo = m.ended_valid_to ?? m.added.validTo;
          return {
            membershipId: m.membership_id,
            groupId: m.group_id,
            group: m.added.group,
            role: m.added.role,
            validFrom: m.added.validFrom,
            validTo,
            current: isValidOn({ validFrom: m.added.validFrom, validTo }, today),
          };
        }),
      };
    }
    const asOfs = Object.values(parts).map((p) => new Date(p.asOf));
    if (asOfs.length === 0)
      throw new NotFoundException(`customer ${requestedId} is not in the view`);
    return {
      customerId,
      ...(customerId !== requestedId ? { redirectedFrom: requestedId } : {}),
      absorbedIds: ids,
      asOf: iso(latest(asOfs)),
      parts,
    };
  }

  /** Follows active merge redirects (a chain, should one exist) to the current customer. */
  private async resolve(manager: EntityManager, id: string): Promise<string> {
    let current = id;
    for (let hop = 0; hop < 16; hop += 1) {
      const [next] = (await manager.query(
        `SELECT survivor_id FROM view_customer_redirect WHERE absorbed_id = $1 AND NOT unmerged
         ORDER BY merge_id LIMIT 1`,
        [current],
      )) as { survivor_id: string }[];
      if (!next) return current;
      current = next.survivor_id;
    }
    return current;
  }

  private async absorbedInto(manager: EntityManager, customerId: string): Promise<string[]> {
    const rows = (await manager.query(
      `WITH RECURSIVE absorbed(id) AS (
         SELECT absorbed_id FROM view_customer_redirect WHERE survivor_id = $1 AND NOT unmerged
         UNION
         SELECT r.absorbed_id FROM view_customer_redirect r JOIN absorbed a ON r.survivor_id = a.id
         WHERE NOT r.unmerged
       ) SELECT id FROM absorbed WHERE id <> $1 ORDER BY id`,
      [customerId],
    )) as { id: string }[];
    return rows.map((r) => r.id);
  }
}

/** One customer's snapshot, or the snapshots of a survivor and the customers merged into it. */
function combineHoldings(
  rows: { customer_id: string; data: HoldingsData; as_of: Date }[],
): NonNullable<CustomerView360['parts']['accounts']> {
  const seen = new Set<string>();
  const accounts: (CustomerAccountV2 & { customerId: string })[] = [];
  for (const row of rows) {
    for (const a of row.data.accounts) {
      if (seen.has(a.accountRef)) continue; // the newest snapshot's copy wins
      seen.add(a.accountRef);
      accounts.push({ ...a, customerId: row.customer_id });
    }
  }
  let holdings = rows[0].data.holdings;
  if (rows.length > 1) {
    const buckets = new Map<
      string,
      { productType: string; currency: string; balances: string[] }
    >();
    for (const a of accounts.filter((x) => x.status !== 'closed')) {
      const key = `${a.productType}|${a.currency}`;
      const bucket = buckets.get(key) ?? {
        productType: a.productType,
        currency: a.currency,
        balances: [],
      };
      bucket.balances.push(a.balance);
      buckets.set(key, bucket);
    }
    holdings = [...buckets.values()]
      .sort((x, y) =>
        `${x.productType}|${x.currency}`.localeCompare(`${y.productType}|${y.currency}`),
      )
      .map((b) => ({
        productType: b.productType,
        currency: b.currency,
        accountCount: b.balances.length,
        totalBalance: sumDecimals(b.balances),
      }));
  }
  const lastActivity = rows
    .map((r) => r.data.lastActivityOn)
    .filter((d): d is string => d !== null)
    .sort()
    .pop();
  return {
    asOf: iso(latest(rows.map((r) => r.as_of))),
    openAccountCount: rows.reduce((n, r) => n + r.data.openAccountCount, 0),
    lastActivityOn: lastActivity ?? null,
    accounts,
    holdings,
  };
}
