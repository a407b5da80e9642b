import type { SourceAccountRecordV1, SourcePartyRecordV1 } from '@bank-crm/contracts';
import { residentIdCheckChar } from '@bank-crm/identity';
import { Client } from 'pg';

/**
 * The customers of the propagation benchmark, loaded through account-bridge's real ingestion
 * path: a party file and an account file posted to POST /imports (as a business system's initial
 * load), party records published to customer-master, resolved there to new golden customers, the
 * links sent back to account-bridge, and each customer's holdings snapshot published to the 360
 * view. Every party is a distinct person (own checksum-valid resident id, name and phone), so
 * identity resolution creates one customer per party.
 */
export const ACCOUNTS_PER_CUSTOMER = 2;

const FAMILY = '王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗'.split('');
const GIVEN = '伟芳娜敏静丽强磊军洋勇艳杰娟涛明超秀霞平刚桂英华玉兰红建国'.split('');

const pad = (n: number, width: number) => String(n).padStart(width, '0');

export interface SeedAccount {
  /** Index in the seeded set (0-based). */
  index: number;
  record: SourceAccountRecordV1;
  /** Last 4 characters of the account number: how the 360 view shows it (masked). */
  last4: string;
  partyKey: string;
}

export interface SeedData {
  system: string;
  parties: SourcePartyRecordV1[];
  accounts: SeedAccount[];
}

function residentId(i: number): string {
  const day = new Date(Date.UTC(1960, 0, 1) + (i % 15_000) * 86_400_000);
  const birth = `${day.getUTCFullYear()}${pad(day.getUTCMonth() + 1, 2)}${pad(day.getUTCDate(), 2)}`;
  const first17 = `110105${birth}${pad(Math.floor(i / 15_000) + 100, 3)}`;
  return first17 + residentIdCheckChar(first17);
}

/** Person `i` (0-based) as a party record of `system`: own resident id, name and phone. */
export function seedParty(
  i: number,
  system: string,
  sourceKey: string,
  observedAt: string,
): SourcePartyRecordV1 {
  const idNumber = residentId(i);
  return {
    sourceSystem: system,
    sourceKey,
    partyType: 'individual',
    name: `${FAMILY[i % FAMILY.length]}${GIVEN[Math.floor(i / FAMILY.length) % GIVEN.length]}${GIVEN[Math.floor(i / (FAMILY.length * GIVEN.length)) % GIVEN.length]}`,
    idType: 'CN_RESIDENT_ID',
    idNumber,
    birthDate: `${idNumber.slice(6, 10)}-${idNumber.slice(10, 12)}-${idNumber.slice(12, 14)}`,
    phone: `139${pad(i, 8)}`,
    observedAt,
  };
}

export function seedData(customers: number, system: string): SeedData {
  const parties: SourcePartyRecordV1[] = [];
  const accounts: SeedAccount[] = [];
  const observedAt = new Date(Date.now() - 3_600_000).toISOString();
  for (let i = 0; i < customers; i += 1) {
    const partyKey = `P-${pad(i, 7)}`;
    parties.push(seedParty(i, system, partyKey, observedAt));
    for (let j = 0; j < ACCOUNTS_PER_CUSTOMER; j += 1) {
      const index = accounts.length;
      const accountNumber = `622202${pad(index, 13)}`;
      accounts.push({
        index,
        partyKey,
        last4: accountNumber.slice(-4),
        record: {
          sourceSystem: system,
          sourceKey: `A-${pad(index, 8)}`,
          accountNumber,
          productType: j === 0 ? 'savings' : 'current',
          currency: 'CNY',
          balance: `${10_000 + ((index * 7919) % 90_000)}.00`,
          balanceAsOf: observedAt,
          status: 'open',
          openedOn: '2020-01-15',
          branch: 'BJ-0101',
          lastActivityOn: '2026-11-27',
          holders: [{ sourceKey: partyKey, role: 'primary-holder' }],
          observedAt,
        },
      });
    }
  }
  return { system, parties, accounts };
}

interface ImportReport {
  status: string;
  files: { kind: string; recorded: number; rejected: number }[];
}

/** POST /imports of one JSON-lines file; fails unless every row was recorded. */
export async function importFile(
  url: string,
  token: string,
  system: string,
  kind: 'parties' | 'accounts',
  rows: unknown[],
): Promise<void> {
  const res = await fetch(`${url}/imports?system=${system}&kind=${kind}&format=jsonl`, {
    method: 'POST',
    headers: { authorization: `Bearer ${token}`, 'content-type': 'application/x-ndjson' },
    body: `${rows.map((r) => JSON.stringify(r)).join('\n')}\n`,
  });
  const text = await res.text();
  if (res.status !== 201) throw new Error(`import of ${kind}: ${res.status} ${text}`);
  const report = JSON.parse(text) as ImportReport;
  const file = report.files.find((f) => f.kind === kind);
  if (report.status !== 'completed' || file?.recorded !== rows.length)
    throw new Error(`import of ${kind} did not record every row: ${text}`);
}

export async function count(db: Client, sql: string, params: unknown[] = []): Promise<number> {
  const { rows } = await db.query<{ n: string }>(sql, params);
  return Number(rows[0].n);
}

/** Polls until `probe` is true; reports progress at most every 5 s. */
export async function waitUntil(
  what: string,
  probe: () => Promise<boolean>,
  timeoutMs: number,
  progress?: () => string,
  report?: (m: string) => void,
): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  let said = Date.now();
  while (!(await probe())) {
    if (Date.now() > deadline)
      throw new Error(`timed out waiting for ${what}${progress ? ` (${progress()})` : ''}`);
    if (progress && report && Date.now() - said > 5_000) {
      report(`${what}: ${progress()}`);
      said = Date.now();
    }
    await new Promise((r) => setTimeout(r, 200));
  }
}
