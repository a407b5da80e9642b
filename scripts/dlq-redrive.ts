/**
 * Re-drives a service's dead letters to their original topics (see docs/operations/dead-letters.md).
 *
 *   npm run dlq:redrive -- --service <service> [--original-topic <topic>] [--reason <reason>]
 *                          [--dry-run] [--limit N] [--brokers host:port]
 *
 * The work is done by `runRedriveCli` in libs/messaging (unit- and integration-tested there).
 */
import { runRedriveCli } from '@bank-crm/messaging';

runRedriveCli(process.argv.slice(2)).then(
  (code) => process.exit(code),
  (error: unknown) => {
    process.stderr.write(`dlq:redrive: ${(error as Error).stack ?? String(error)}\n`);
    process.exit(1);
  },
);
