import { createWriteStream, mkdirSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { parseArgs } from 'node:util';

import { devKeysDir, signDevToken } from '@bank-crm/testing';

import { runImportCli } from '../apps/account-bridge/src/imports/import-cli';
import { generate } from '../bench/identity/generate';

/**
 * A demo bank for `npm run stack`: a few thousand people spread over several business systems
 * with realistic duplicates and noise (the identity benchmark's generator), an account or two per
 * source record, imported through account-bridge's real bulk-import pipeline; customer-master
 * resolves them from the events. Prints three things to try.
 *
 *   npm run demo-data -- [--people 2000] [--port-base 3000] [--database-url <account-bridge db>]
 */
const ROOT = resolve(__dirname, '..');
const PRODUCTS: Record<string, string[]> = {
  'core-banking': ['current', 'savings', 'time-deposit'],
  cards: ['credit-card'],
  loans: ['loan', 'mortgage'],
  wealth: ['wealth'],
};

function rng(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (Math.imul(s ^ (s >>> 15), 0x2c1b3c6d) + 0x6d2b79f5) >>> 0;
    return s / 2 ** 32;
  };
}

function write(path: string, rows: object[]): Promise<void> {
  return new Promise((done, fail) => {
    const out = createWriteStream(path);
    out.on('error', fail);
    for (const row of rows) out.write(`${JSON.stringify(row)}\n`);
    out.end(done);
  });
}

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      people: { type: 'string', default: '2000' },
      'port-base': { type: 'string', default: process.env.STACK_PORT_BASE ?? '3000' },
      'database-url': { type: 'string' },
    },
  });
  const people = Number(values.people);
  const portBase = Number(values['port-base']);
  const dir = join(ROOT, '.local', 'demo');
  mkdirSync(dir, { recursive: true });
  const random = rng(2026);
  const { records, truth } = generate({ people, seed: 2026 });
  process.stderr.write(`demo: ${records.length} source records of ${people} people\n`);

  const bySystem = new Map<string, Record<string, string | null>[]>();
  for (const r of records) {
    const system = String(r.sourceSystem);
    bySystem.set(system, [...(bySystem.get(system) ?? []), r]);
  }
  const today = new Date().toISOString().slice(0, 10);
  for (const [system, parties] of bySystem) {
    const products = PRODUCTS[system] ?? ['current'];
    const accounts = parties.flatMap((party, i) =>
      Array.from({ length: random() < 0.3 ? 2 : 1 }, (_, n) => {
        const productType = products[Math.floor(random() * products.length)];
        const closed = random() < 0.04;
        return {
          sourceSystem: system,
          sourceKey: `${String(party.sourceKey)}-A${n + 1}`,
          accountNumber: `62${String(1e15 + i * 7919 + n).slice(0, 14)}${Math.floor(random() * 100)
            .toString()
            .padStart(2, '0')}`,
          productType,
          currency: 'CNY',
          balance: (random() * (productType === 'wealth' ? 5e6 : 2e5)).toFixed(2),
          balanceAsOf: `${today}T00:00:00.000Z`,
          status: closed ? 'closed' : 'open',
          openedOn: '2020-03-15',
          ...(closed ? { closedOn: '2025-12-31' } : {}),
          branch: `BR-${(i % 40).toString().padStart(3, '0')}`,
          lastActivityOn: closed ? '2025-12-31' : today,
          holders: [
            {
              sourceKey: String(party.sourceKey),
              role: productType === 'credit-card' ? 'card-holder' : 'primary-holder',
            },
          ],
          observedAt: `${today}T00:00:00.000Z`,
        };
      }),
    );
    const partiesFile = join(dir, `${system}-parties.jsonl`);
    const accountsFile = join(dir, `${system}-accounts.jsonl`);
    await write(
      partiesFile,
      parties.map((p) =>
        Object.fromEntries(Object.entries(p).filter(([, v]) => v !== null && v !== '')),
      ),
    );
    await write(accountsFile, accounts);
    process.stderr.write(
      `demo: importing ${parties.length} parties and ${accounts.length} accounts of ${system}\n`,
    );
    const { code } = await runImportCli([
      '--system',
      system,
      '--parties',
      partiesFile,
      '--accounts',
      accountsFile,
      '--quiet',
      ...(values['database-url'] ? ['--database-url', values['database-url']] : []),
    ]);
    if (code !== 0) throw new Error(`import of ${system} failed (exit ${code})`);
  }

  // someone known to three systems, for the 360 view
  const byEntity = new Map<string, string[]>();
  for (const [ref, entity] of truth) byEntity.set(entity, [...(byEntity.get(entity) ?? []), ref]);
  const threeRecords = [...byEntity.values()].find(
    (refs) => new Set(refs.map((r) => r.split(':')[0])).size >= 3,
  );
  const token = await signDevToken(devKeysDir(ROOT), { roles: ['admin'], user: 'demo' });
  const cm = `http://127.0.0.1:${portBase + 1}`;
  let customerId: string | undefined;
  if (threeRecords) {
    const [system, ...key] = threeRecords[0].split(':');
    for (let i = 0; i < 60 && !customerId; i += 1) {
      const res = await fetch(`${cm}/source-records/${system}/${key.join(':')}/resolution`, {
        headers: { authorization: `Bearer ${token}` },
      }).catch(() => undefined);
      if (res?.ok) customerId = ((await res.json()) as { customerId?: string }).customerId;
      else await new Promise((r) => setTimeout(r, 1_000));
    }
  }
  process.stdout.write(`
Demo bank loaded: ${people} people as ${records.length} records in ${bySystem.size} systems (${[...bySystem.keys()].join(', ')}).
Three things to try (a token first):

  ADMIN=$(npm run -s token -- --role admin --user me)

1. The unified view of a customer who was ${threeRecords?.length ?? 3} records (${(threeRecords ?? []).join(', ')}):
  curl -s ${cm}/customers/${customerId ?? '<customer id>'}/360 -H "authorization: Bearer $ADMIN"
2. What identity resolution was not sure about (the data steward's review queue):
  curl -s '${cm}/review-items?status=open' -H "authorization: Bearer $ADMIN"
3. Merges as downstream systems see them on Kafka:
  npm run -s kafka:tail -- customer-master.customer.merged.v1 --from-beginning --limit 3
`);
}

main().catch((error: unknown) => {
  process.stderr.write(`demo-data: ${(error as Error).message}\n`);
  process.exit(1);
});
