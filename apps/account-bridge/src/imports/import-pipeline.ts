import { randomUUID } from 'node:crypto';
import type { Readable } from 'node:stream';

import type { AuditActor, AuditService } from '@bank-crm/audit';
import { applyDbScope, SYSTEM_SCOPE } from '@bank-crm/auth';
import type {
  SourceAccountBalanceV1,
  SourceAccountRecordV1,
  SourcePartyRecordV1,
} from '@bank-crm/contracts';
import type { DataSource, EntityManager } from 'typeorm';

import type { AccountIngestor, IngestResult } from '../accounts/account-ingestor';
import { returnedRows } from '../accounts/sql';
import type { PartyBatchIngestor } from '../inbound/party-batch-ingestor';
import { readRows, type ImportFormat } from './row-reader';
import { CSV_COLUMNS, toRecord, type ImportKind, type ImportRecord } from './row-mapping';

export interface ImportFileReport {
  kind: ImportKind;
  format: ImportFormat;
  name: string;
  status: 'running' | 'completed' | 'failed';
  /** Last row (line number) whose batch committed: a resumed import starts after it. */
  committedRow: number;
  rowsRead: number;
  recorded: number;
  unchanged: number;
  olderIgnored: number;
  rejected: number;
  startedAt: string;
  finishedAt: string | null;
  error?: string;
}

export interface ImportJobReport {
  id: string;
  system: string;
  status: 'running' | 'completed' | 'failed';
  startedBy: string;
  createdAt: string;
  finishedAt: string | null;
  files: ImportFileReport[];
}

export interface RunFileOptions {
  batchSize?: number;
  correlationId?: string;
  /** Called after every committed batch. */
  onProgress?: (report: ImportFileReport, elapsedMs: number) => void;
}

export class ImportConflictError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'ImportConflictError';
  }
}

interface Counts {
  rowsRead: number;
  recorded: number;
  unchanged: number;
  olderIgnored: number;
  rejected: number;
}

interface Rejection {
  row: number;
  reason: string;
  raw: string;
}

const FILE_COLUMNS = `kind, format, name, status, committed_row::int8::text AS "committedRow",
  rows_read::text AS "rowsRead", recorded::text AS recorded, unchanged::text AS unchanged,
  older_ignored::text AS "olderIgnored", rejected::text AS rejected, started_at AS "startedAt",
  finished_at AS "finishedAt", error`;

function fileReport(row: Record<string, unknown>): ImportFileReport {
  return {
    kind: row.kind as ImportKind,
    format: row.format as ImportFormat,
    name: row.name as string,
    status: row.status as ImportFileReport['status'],
    committedRow: Number(row.committedRow),
    rowsRead: Number(row.rowsRead),
    recorded: Number(row.recorded),
    unchanged: Number(row.unchanged),
    olderIgnored: Number(row.olderIgnored),
    rejected: Number(row.rejected),
    startedAt: (row.startedAt as Date).toISOString(),
    finishedAt: row.finishedAt ? (row.finishedAt as Date).toISOString() : null,
    ...(row.error ? { error: row.error as string } : {}),
  };
}

/**
 * Bulk import of party, account and balance files (CSV or JSONL), shared by POST /imports and
 * `npm run import`. Rows stream through in batches; each batch commits in ONE transaction with
 * its effects (records, events in the outbox, rejected rows) and the file's checkpoint, so a
 * crashed import resumes after the last committed batch without duplicating anything (and the
 * ingestion is idempotent anyway).
 */
export class ImportPipeline {
  constructor(
    private readonly dataSource: DataSource,
    private readonly accounts: AccountIngestor,
    private readonly parties: PartyBatchIngestor,
    private readonly audit: AuditService,
  ) {}

  async createJob(
    system: string,
    actor: AuditActor,
    jobId: string = randomUUID(),
  ): Promise<string> {
    const startedBy = actor === 'system' ? 'system' : actor.id;
    await this.dataSource.transaction(async (manager) => {
      const rows: unknown[] = await manager.query(
        `INSERT INTO import_job (id, system, status, started_by) VALUES ($1, $2, 'running', $3)
         ON CONFLICT (id) DO NOTHING RETURNING id`,
        [jobId, system, startedBy],
      );
      if (rows.length) {
        await this.audit.record(manager, {
          actor,
          action: 'import.started',
          entityType: 'import-job',
          entityId: jobId,
          after: { system },
        });
      }
    });
    const job = await this.report(jobId);
    if (job?.system !== system) {
      throw new ImportConflictError(`import job ${jobId} belongs to system ${job?.system}`);
    }
    return jobId;
  }

  /** Imports (or resumes) one file of a job; returns its report when the file is done. */
  async runFile(
    jobId: string,
    kind: ImportKind,
    format: ImportFormat,
    name: string,
    input: Readable,
    options: RunFileOptions = {},
  ): Promise<ImportFileReport> {
    const batchSize = options.batchSize ?? 1_000;
    const correlationId = options.correlationId ?? jobId;
    const started = Date.now();
    const job = await this.report(jobId);
    if (!job) throw new ImportConflictError(`no import job ${jobId}`);
    const [file]: Record<string, unknown>[] = await this.dataSource.query(
      `INSERT INTO import_file (job_id, kind, format, name, status) VALUES ($1, $2, $3, $4, 'running')
       ON CONFLICT (job_id, kind) DO UPDATE SET status = 'running', error = NULL, updated_at = now(),
         finished_at = NULL
       RETURNING ${FILE_COLUMNS}`,
      [jobId, kind, format, name],
    );
    let report = fileReport(file);
    if (report.format !== format) {
      throw new ImportConflictError(
        `the ${kind} file of job ${jobId} is ${report.format}, not ${format}`,
      );
    }
    await this.dataSource.query(
      "UPDATE import_job SET status = 'running', finished_at = NULL WHERE id = $1",
      [jobId],
    );

    let checkpoint = report.committedRow;
    let batch: { row: number; record?: ImportRecord; rejection?: Rejection }[] = [];
    const flush = async () => {
      if (batch.length === 0) return;
      const rows = batch;
      batch = [];
      report = await this.commitBatch(jobId, kind, rows, checkpoint, correlationId);
      checkpoint = report.committedRow;
      options.onProgress?.(report, Date.now() - started);
    };
    try {
      for await (const row of readRows(input, format, {
        knownColumns: format === 'csv' ? CSV_COLUMNS[kind] : undefined,
      })) {
        if (row.row <= checkpoint) continue; // committed before a crash: resume after it
        if (row.error || !row.value) {
          batch.push({
            row: row.row,
            rejection: { row: row.row, reason: row.error ?? 'empty', raw: row.raw },
          });
        } else {
          const mapped = toRecord(kind, job.system, row.value, format);
          batch.push(
            'record' in mapped
              ? { row: row.row, record: mapped.record }
              : { row: row.row, rejection: { row: row.row, reason: mapped.error, raw: row.raw } },
          );
        }
        if (batch.length >= batchSize) await flush();
      }
      await flush();
    } catch (error) {
      await this.dataSource.query(
        `UPDATE import_file SET status = 'failed', error = $3, updated_at = now() WHERE job_id = $1 AND kind = $2`,
        [jobId, kind, (error as Error).message.slice(0, 2_000)],
      );
      throw error;
    }
    const [done] = returnedRows<Record<string, unknown>>(
      await this.dataSource.query(
        `UPDATE import_file SET status = 'completed', finished_at = now(), updated_at = now()
          WHERE job_id = $1 AND kind = $2 RETURNING ${FILE_COLUMNS}`,
        [jobId, kind],
      ),
    );
    return fileReport(done);
  }

  /** Marks the job finished (completed, or failed when a file failed) and audits its counts. */
  async finishJob(jobId: string, actor: AuditActor): Promise<ImportJobReport> {
    const job = await this.report(jobId);
    if (!job) throw new ImportConflictError(`no import job ${jobId}`);
    const status = job.files.some((f) => f.status === 'failed')
      ? 'failed'
      : job.files.every((f) => f.status === 'completed')
        ? 'completed'
        : 'running';
    await this.dataSource.transaction(async (manager) => {
      await manager.query(
        `UPDATE import_job SET status = $2::text, updated_at = now(),
           finished_at = CASE WHEN $2::text = 'running' THEN NULL ELSE now() END WHERE id = $1`,
        [jobId, status],
      );
      await this.audit.record(manager, {
        actor,
        action: 'import.finished',
        entityType: 'import-job',
        entityId: jobId,
        after: { status, files: job.files },
      });
    });
    return (await this.report(jobId))!;
  }

  /** Audits a read of the rejected rows (they hold personal data as the source sent it). */
  async auditRead(jobId: string, actor: AuditActor, correlationId: string): Promise<void> {
    await this.dataSource.transaction((manager) =>
      this.audit.record(manager, {
        actor,
        action: 'import.rejections.read',
        entityType: 'import-job',
        entityId: jobId,
        correlationId,
      }),
    );
  }

  async report(jobId: string): Promise<ImportJobReport | null> {
    const [job]: Record<string, unknown>[] = await this.dataSource.query(
      `SELECT id, system, status, started_by AS "startedBy", created_at AS "createdAt",
              finished_at AS "finishedAt" FROM import_job WHERE id = $1`,
      [jobId],
    );
    if (!job) return null;
    const files: Record<string, unknown>[] = await this.dataSource.query(
      `SELECT ${FILE_COLUMNS} FROM import_file WHERE job_id = $1 ORDER BY started_at, kind`,
      [jobId],
    );
    return {
      id: job.id as string,
      system: job.system as string,
      status: job.status as ImportJobReport['status'],
      startedBy: job.startedBy as string,
      createdAt: (job.createdAt as Date).toISOString(),
      finishedAt: job.finishedAt ? (job.finishedAt as Date).toISOString() : null,
      files: files.map(fileReport),
    };
  }

  /** The rejected rows of a job, in file order, a page at a time (keyset: kind, row). */
  async rejections(
    jobId: string,
    after: { kind: string; row: number } | null,
    limit: number,
  ): Promise<{ kind: string; row: number; reason: string; raw: string }[]> {
    const rows: { kind: string; row: string; reason: string; raw: string }[] =
      await this.dataSource.query(
        `SELECT kind, row_number::text AS row, reason, raw FROM import_rejection
          WHERE job_id = $1 AND ($2::text IS NULL OR (kind, row_number) > ($2, $3::bigint))
          ORDER BY kind, row_number LIMIT $4`,
        [jobId, after?.kind ?? null, after?.row ?? 0, limit],
      );
    return rows.map((r) => ({ ...r, row: Number(r.row) }));
  }

  private async commitBatch(
    jobId: string,
    kind: ImportKind,
    rows: { row: number; record?: ImportRecord; rejection?: Rejection }[],
    expectedCheckpoint: number,
    correlationId: string,
  ): Promise<ImportFileReport> {
    return this.dataSource.transaction(async (manager) => {
      // system work: row-level security lets the batch see and write every portfolio's rows
      await applyDbScope(manager, SYSTEM_SCOPE);
      const [file]: { committedRow: string }[] = await manager.query(
        `SELECT committed_row::text AS "committedRow" FROM import_file
          WHERE job_id = $1 AND kind = $2 FOR UPDATE`,
        [jobId, kind],
      );
      if (Number(file.committedRow) !== expectedCheckpoint) {
        throw new ImportConflictError(
          `the ${kind} file of job ${jobId} is being imported by another run (checkpoint ${file.committedRow}, expected ${expectedCheckpoint})`,
        );
      }
      const withRecords = rows.filter((r) => r.record);
      const results = await this.apply(
        manager,
        kind,
        withRecords.map((r) => r.record!),
        correlationId,
      );
      const rejections = rows.filter((r) => r.rejection).map((r) => r.rejection!);
      const counts: Counts = {
        rowsRead: rows.length,
        recorded: 0,
        unchanged: 0,
        olderIgnored: 0,
        rejected: 0,
      };
      results.forEach((result, i) => {
        if (result.outcome === 'recorded') counts.recorded += 1;
        else if (result.outcome === 'unchanged') counts.unchanged += 1;
        else if (result.outcome === 'older-ignored') counts.olderIgnored += 1;
        else {
          const row = withRecords[i].row;
          rejections.push({
            row,
            reason: result.reason ?? 'rejected',
            raw: JSON.stringify(withRecords[i].record),
          });
        }
      });
      counts.rejected = rejections.length;
      if (rejections.length) {
        await manager.query(
          `INSERT INTO import_rejection (job_id, kind, row_number, reason, raw)
           SELECT $1, $2, * FROM unnest($3::bigint[], $4::text[], $5::text[])
           ON CONFLICT DO NOTHING`,
          [
            jobId,
            kind,
            rejections.map((r) => r.row),
            rejections.map((r) => r.reason),
            rejections.map((r) => r.raw),
          ],
        );
      }
      const [updated] = returnedRows<Record<string, unknown>>(
        await manager.query(
          `UPDATE import_file SET committed_row = $3, rows_read = rows_read + $4, recorded = recorded + $5,
           unchanged = unchanged + $6, older_ignored = older_ignored + $7, rejected = rejected + $8,
           updated_at = now()
         WHERE job_id = $1 AND kind = $2 RETURNING ${FILE_COLUMNS}`,
          [
            jobId,
            kind,
            rows[rows.length - 1].row,
            counts.rowsRead,
            counts.recorded,
            counts.unchanged,
            counts.olderIgnored,
            counts.rejected,
          ],
        ),
      );
      return fileReport(updated);
    });
  }

  private apply(
    manager: EntityManager,
    kind: ImportKind,
    records: ImportRecord[],
    correlationId: string,
  ): Promise<IngestResult[]> {
    const meta = { correlationId };
    switch (kind) {
      case 'parties':
        return this.parties.apply(manager, records as SourcePartyRecordV1[], {
          ...meta,
          publish: true,
        });
      case 'accounts':
        return this.accounts.applyRecords(manager, records as SourceAccountRecordV1[], meta);
      case 'balances':
        return this.accounts.applyBalances(manager, records as SourceAccountBalanceV1[], meta);
    }
  }
}
