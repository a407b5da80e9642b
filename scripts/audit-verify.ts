// npm run audit:verify -- --service <name> [--database-url postgres://...]
// Walks a service's audit_log and checks its hash chain: prints OK (rows, head hash) and exits 0,
// or names the first tampered row and exits 1 (2 on a usage or connection error).
import { verifyAuditChain } from '@bank-crm/audit';
import { SERVICE_NAMES } from '@bank-crm/contracts';
import { Client } from 'pg';

function usage(message: string): never {
  process.stderr.write(
    `${message}\nusage: npm run audit:verify -- --service <${SERVICE_NAMES.join('|')}> [--database-url <postgres://...>]\n`,
  );
  process.exit(2);
}

function parseArgs(argv: string[]): { service?: string; databaseUrl?: string } {
  const out: { service?: string; databaseUrl?: string } = {};
  for (let i = 0; i < argv.length; i += 1) {
    const [flag, inline] = argv[i].split('=', 2);
    const value = () => inline ?? argv[++i] ?? usage(`${flag} needs a value`);
    if (flag === '--service') out.service = value();
    else if (flag === '--database-url') out.databaseUrl = value();
    else if (flag === '--help' || flag === '-h') usage('');
    else usage(`unknown argument ${argv[i]}`);
  }
  return out;
}

/** The local stack's database of a service (as scripts/lib.sh names it). */
function localDatabaseUrl(service: string): string {
  const host = process.env.PG_HOST ?? '127.0.0.1';
  const port = process.env.PG_PORT ?? '5432';
  const user = process.env.PG_USER ?? 'postgres';
  return `postgres://${user}@${host}:${port}/bank_crm_${service.replace(/-/g, '_')}`;
}

async function main(): Promise<void> {
  const args = parseArgs(process.argv.slice(2));
  if (args.service && !(SERVICE_NAMES as readonly string[]).includes(args.service))
    usage(`unknown service ${args.service}`);
  if (!args.service && !args.databaseUrl) usage('give --service or --database-url');
  const url = args.databaseUrl ?? localDatabaseUrl(args.service ?? usage('give --service'));
  const label = args.service ?? new URL(url).pathname.slice(1);
  const client = new Client({ connectionString: url });
  try {
    await client.connect();
  } catch (error) {
    process.stderr.write(`cannot connect to the database: ${(error as Error).message}\n`);
    process.exit(2);
  }
  try {
    const verdict = await verifyAuditChain(client);
    if (verdict.ok) {
      process.stdout.write(
        `OK ${label}: ${verdict.rows} audit rows, chain intact; head ${verdict.headId ?? '-'} ${verdict.headHash}\n`,
      );
      return;
    }
    process.stdout.write(
      `TAMPERED ${label}: audit row ${verdict.brokenAt} fails verification (${verdict.reason}); ${verdict.rows} rows before it are intact\n`,
    );
    process.exitCode = 1;
  } finally {
    await client.end();
  }
}

void main().catch((error: unknown) => {
  process.stderr.write(`audit:verify failed: ${(error as Error).message}\n`);
  process.exit(2);
});
