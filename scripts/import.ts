/**
 * Bulk import of a business system's party, account and balance files (CSV or JSONL) into
 * account-bridge, streaming, resumable (see docs/ingestion.md).
 *
 *   npm run import -- --system core-banking --parties parties.csv --accounts accounts.csv
 *   npm run import -- --system core-banking --accounts accounts.csv --resume <jobId>
 *
 * The work is done by `runImportCli` in apps/account-bridge (the same pipeline as POST /imports).
 */
import { runImportCli } from '../apps/account-bridge/src/imports/import-cli';

runImportCli(process.argv.slice(2)).then(
  ({ code }) => process.exit(code),
  (error: unknown) => {
    process.stderr.write(`import: ${(error as Error).message ?? String(error)}\n`);
    process.exit(1);
  },
);
