import { SYSTEM_SCOPE, withDataScope } from '@bank-crm/auth';
import { NameFrequencies, normalizePersonName } from '@bank-crm/identity';
import { gauge } from '@bank-crm/observability';
import { SERVICE_CONFIG } from '@bank-crm/service-runtime';
import {
  Inject,
  Injectable,
  Logger,
  type OnApplicationBootstrap,
  type OnApplicationShutdown,
} from '@nestjs/common';
import { DataSource, type EntityManager } from 'typeorm';

import { PeriodicTask } from '../common/periodic-task';
import type { CustomerMasterConfig } from '../config/customer-master.config';
import { ResolutionService } from './resolution.service';

const statisticsMetrics = {
  records: gauge(
    'bankcrm_resolution_name_statistics_records',
    'Person records counted in the name statistics the matcher decides with (its last count).',
  ),
  seconds: gauge(
    'bankcrm_resolution_name_statistics_count_seconds',
    'How long the last count of the name statistics took.',
  ),
  countedAt: gauge(
    'bankcrm_resolution_name_statistics_counted_at_seconds',
    'When the name statistics the matcher decides with were counted (Unix time).',
  ),
};

/** Records read per statement while counting (keyset pages on the primary key). */
const PAGE = 20_000;

interface NameRow {
  source_system: string;
  source_key: string;
  name: string | null;
  given: string | null;
  family: string | null;
  latin: string | null;
}

export interface NameStatisticsSummary {
  /** Person records counted. */
  records: number;
  /** Customers those records belong to. */
  customers: number;
  /** Distinct whole names among them. */
  names: number;
  tookMs: number;
}

/**
 * The name statistics behind the matcher's term-frequency adjustments (`NameFrequencies`): how
 * many person records bear each whole name, each name sound and each Latin token. A common name
 * agreeing weighs less than a rare one, and a one-letter spelling that nobody else bears next to
 * a name many bear is a keying error. The offline resolver counts names as it reads them;
 * customer-master counts the person records it holds, when it starts (in the background) and every
 * RESOLUTION_NAME_STATISTICS_REFRESH_MS, and decides with the latest count — a model parameter
 * re-estimated from the data, as the m/u weights would be. Until a name is borne by more people
 * than the configured weights allow for (16; 50 for the keying-error rule), its count changes
 * nothing, so a small or new customer base decides as with the configured weights alone.
 *
 * Each replica counts for itself from the same table (as system work, past the relationship
 * managers' row-level security): replicas that counted at different
 * moments can weigh a name slightly differently for a while, as the stored explanation of each
 * decision shows.
 */
@Injectable()
export class NameStatistics implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly logger = new Logger(NameStatistics.name);
  private readonly counting = new PeriodicTask(() =>
    this.count()
      .then((summary) => {
        this.logger.log(
          `name statistics: ${summary.records} person records of ${summary.customers} customers, ${summary.names} distinct names, counted in ${summary.tookMs} ms`,
        );
        return summary;
      })
      .catch((error: unknown) => {
        // the matcher keeps the previous count
        this.logger.error(`counting the name statistics failed: ${(error as Error).message}`);
        throw error;
      }),
  );

  constructor(
    private readonly dataSource: DataSource,
    private readonly resolution: ResolutionService,
    @Inject(SERVICE_CONFIG) private readonly config: CustomerMasterConfig,
  ) {}

  /**
   * Counts at start-up, in the background, then every refresh interval. The start does not wait
   * for the count: it takes time in proportion to the records (about 15 s for a million here),
   * and a service that is not up by then fails its start-up probe. Until the first count ends,
   * and after a failed one, the configured weights alone decide.
   */
  onApplicationBootstrap(): void {
    const every = this.config.RESOLUTION_NAME_STATISTICS_REFRESH_MS;
    if (every <= 0) return;
    void this.refresh().catch(() => undefined);
    this.counting.every(every);
  }

  async onApplicationShutdown(): Promise<void> {
    await this.counting.stop();
  }

  /** Counts the names of the stored person records and decides with the count (one at a time). */
  refresh(): Promise<NameStatisticsSummary> {
    return this.counting.run();
  }

  private read(query: (manager: EntityManager) => Promise<unknown>): Promise<unknown> {
    return withDataScope(this.dataSource, SYSTEM_SCOPE, query);
  }

  private async count(): Promise<NameStatisticsSummary> {
    const started = Date.now();
    const names = new NameFrequencies();
    const distinct = new Set<number>();
    let after: NameRow | undefined;
    for (;;) {
      // system work: the row-level security bypass (a transaction per page, none held open)
      const rows = (await this.read((m) =>
        m.query(
          `SELECT source_system, source_key, record->>'name' AS name,
                record->>'givenName' AS given, record->>'familyName' AS family,
                record->>'nameLatin' AS latin
         FROM source_record
         WHERE party_type = 'individual' AND customer_id IS NOT NULL
           ${after ? 'AND (source_system, source_key) > ($2, $3)' : ''}
         ORDER BY source_system, source_key
         LIMIT $1`,
          after ? [PAGE, after.source_system, after.source_key] : [PAGE],
        ),
      )) as NameRow[];
      for (const r of rows) {
        const person = normalizePersonName({
          name: r.name,
          givenName: r.given,
          familyName: r.family,
          nameLatin: r.latin,
        });
        if (!person) continue;
        names.observe(person);
        distinct.add(person.keyId);
      }
      if (rows.length < PAGE) break;
      after = rows[rows.length - 1];
    }
    const [{ customers }] = (await this.read((m) =>
      m.query(
        `SELECT count(DISTINCT customer_id)::int AS customers FROM source_record
         WHERE party_type = 'individual' AND customer_id IS NOT NULL`,
      ),
    )) as { customers: number }[];
    // record counts become people through the records-per-customer ratio, as offline
    names.recordsPerPerson = customers > 0 ? names.size / customers : 1;
    this.resolution.scorer.names = names;
    statisticsMetrics.records.set(names.size);
    statisticsMetrics.countedAt.set(Date.now() / 1000);
    statisticsMetrics.seconds.set((Date.now() - started) / 1000);
    return {
      records: names.size,
      customers,
      names: distinct.size,
      tookMs: Date.now() - started,
    };
  }
}
