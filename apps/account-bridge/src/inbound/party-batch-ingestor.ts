import { SourcePartyRecordedV1, type SourcePartyRecordV1 } from '@bank-crm/contracts';
import type { OutboxWriter } from '@bank-crm/messaging';
import { jsonbArray, jsonbElements } from '@bank-crm/persistence';
import type { EntityManager } from 'typeorm';

import { accountKey } from '../accounts/account-state';
import type { IngestMeta, IngestResult } from '../accounts/account-ingestor';
import { PARTY_HASHES_SQL } from '../accounts/key-reads';
import { contentHash } from '../accounts/record-hash';

/**
 * Stores many SourcePartyRecord v1 records in one statement, with the same rules as
 * POST /source-party-records (idempotent by content hash, the newest observedAt wins) and the same
 * hash, so a record is unchanged whichever channel it came by. New and changed records are
 * published for resolution, unless they were read from that very topic (`publish: false`).
 */
export class PartyBatchIngestor {
  constructor(private readonly outbox: OutboxWriter) {}

  async apply(
    manager: EntityManager,
    records: SourcePartyRecordV1[],
    meta: IngestMeta & { publish: boolean; defaultObservedAt?: string },
  ): Promise<IngestResult[]> {
    if (records.length === 0) return [];
    const fallback = meta.defaultObservedAt ?? new Date().toISOString();
    const newest = new Map<
      string,
      { record: SourcePartyRecordV1; observedAt: string; hash: string }
    >();
    for (const record of records) {
      const key = accountKey(record.sourceSystem, record.sourceKey);
      const observedAt = record.observedAt ?? fallback;
      const seen = newest.get(key);
      if (!seen || Date.parse(seen.observedAt) <= Date.parse(observedAt)) {
        newest.set(key, { record, observedAt, hash: contentHash(record) });
      }
    }
    const entries = [...newest.entries()].sort(([a], [b]) => (a < b ? -1 : 1));
    const written: { key: string }[] = await manager.query(
      `INSERT INTO source_party (source_system, source_key, record, content_hash, observed_at, updated_at)
       SELECT s, k, r, h, o, now()
         FROM unnest($1::text[], $2::text[], ${jsonbElements('$3')}, $4::text[], $5::timestamptz[]) AS t(s, k, r, h, o)
       ON CONFLICT (source_system, source_key) DO UPDATE
         SET record = EXCLUDED.record, content_hash = EXCLUDED.content_hash,
             observed_at = EXCLUDED.observed_at, updated_at = now()
         WHERE source_party.content_hash <> EXCLUDED.content_hash
           AND source_party.observed_at <= EXCLUDED.observed_at
       RETURNING source_system || ':' || source_key AS key`,
      [
        entries.map(([, e]) => e.record.sourceSystem),
        entries.map(([, e]) => e.record.sourceKey),
        jsonbArray(entries.map(([, e]) => e.record)),
        entries.map(([, e]) => e.hash),
        entries.map(([, e]) => e.observedAt),
      ],
    );
    const recorded = new Set(written.map((w) => w.key));
    const others = entries.filter(([key]) => !recorded.has(key));
    const current = new Map<string, string>();
    if (others.length) {
      const rows: { key: string; hash: string }[] = await manager.query(PARTY_HASHES_SQL, [
        others.map(([, e]) => e.record.sourceSystem),
        others.map(([, e]) => e.record.sourceKey),
      ]);
      for (const r of rows) current.set(r.key, r.hash);
    }
    if (meta.publish) {
      // one outbox insert for the batch, not one statement per record
      await this.outbox.appendMany(
        manager,
        entries
          .filter(([key]) => recorded.has(key))
          .map(([key, e]) => ({
            definition: SourcePartyRecordedV1,
            input: {
              subject: key,
              correlationId: meta.correlationId,
              ...(meta.causationId ? { causationId: meta.causationId } : {}),
              payload: e.record,
              occurredAt: new Date(e.observedAt),
            },
          })),
      );
    }
    return records.map((record) => {
      const key = accountKey(record.sourceSystem, record.sourceKey);
      const e = newest.get(key)!;
      if (e.record !== record) return { key, outcome: 'older-ignored', accountId: null };
      if (recorded.has(key)) return { key, outcome: 'recorded', accountId: null };
      return {
        key,
        outcome: current.get(key) === e.hash ? 'unchanged' : 'older-ignored',
        accountId: null,
      };
    });
  }
}
