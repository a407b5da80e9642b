import { join } from 'node:path';

import { ACCOUNT_HEADER, writeLines } from '../account-import/run';
import { seedParty } from '../event-propagation/seed';

/**
 * The files of the end-to-end import: N accounts and N party records from two source systems,
 * written line by line (never held in memory). The people are those of the propagation seed
 * (checksum-valid resident id, name, birth date and phone of their own).
 *
 * - core-banking: people 1..A, party `CB-i` and account `ACC-i` (primary holder `CB-i`);
 * - cards: B = floor(N/6) of the same people again (every 5th: person 5j), party `CD-j` with the
 *   same identity under another key and a card account `CARD-j` (primary holder `CD-j`), so
 *   customer-master links every cards record to the customer of the core-banking one;
 * - A = N - B, every 10th account of each system joint with the previous party of its system.
 */
export const PARTY_HEADER = 'sourceKey,partyType,name,idType,idNumber,birthDate,phone,observedAt';
const PRODUCTS = ['savings', 'current', 'time-deposit', 'loan', 'wealth'];

export interface SystemFiles {
  system: string;
  parties: string;
  accounts: string;
  rows: number;
}

export interface ImportFiles {
  accounts: number;
  /** Distinct people: the customers resolution should end with. */
  people: number;
  systems: SystemFiles[];
}

export const DUPLICATE_EVERY = 5;

export function systemSizes(accounts: number): { core: number; cards: number } {
  const cards = Math.floor(accounts / (DUPLICATE_EVERY + 1));
  return { core: accounts - cards, cards };
}

function partyLine(person: number, system: string, key: string, observedAt: string): string {
  const p = seedParty(person, system, key, observedAt);
  return [key, p.partyType, p.name, p.idType, p.idNumber, p.birthDate, p.phone, observedAt].join(
    ',',
  );
}

function accountLine(
  key: string,
  accountNumber: string,
  product: string,
  balance: string,
  holders: string,
  observedAt: string,
): string {
  // ACCOUNT_HEADER: sourceKey,accountNumber,productType,productCode,currency,balance,
  // availableBalance,balanceAsOf,status,openedOn,closedOn,branch,lastActivityOn,holders,observedAt
  return [
    key,
    accountNumber,
    product,
    '',
    'CNY',
    balance,
    '',
    observedAt,
    'open',
    '2020-01-15',
    '',
    'BJ-0101',
    '2026-11-27',
    holders,
    observedAt,
  ].join(',');
}

const holders = (prefix: string, i: number) =>
  i % 10 === 0
    ? `${prefix}-${i}:primary-holder;${prefix}-${i - 1}:joint-holder`
    : `${prefix}-${i}:primary-holder`;

export async function writeImportFiles(dir: string, accounts: number): Promise<ImportFiles> {
  const { core, cards } = systemSizes(accounts);
  const observedAt = new Date(Date.now() - 3_600_000).toISOString();
  const file = (name: string) => join(dir, name);
  const systems: SystemFiles[] = [
    {
      system: 'core-banking',
      parties: file('core-banking-parties.csv'),
      accounts: file('core-banking-accounts.csv'),
      rows: core,
    },
    {
      system: 'cards',
      parties: file('cards-parties.csv'),
      accounts: file('cards-accounts.csv'),
      rows: cards,
    },
  ];
  const [cb, cd] = systems;
  await writeLines(cb.parties, PARTY_HEADER, core, (i) =>
    partyLine(i, cb.system, `CB-${i}`, observedAt),
  );
  await writeLines(cb.accounts, ACCOUNT_HEADER, core, (i) => {
    const product = PRODUCTS[i % PRODUCTS.length];
    const balance = product === 'loan' ? `-${i % 100_000}.55` : `${(i * 37) % 1_000_000}.25`;
    return accountLine(
      `ACC-${i}`,
      `6222${String(i).padStart(12, '0')}`,
      product,
      balance,
      holders('CB', i),
      observedAt,
    );
  });
  await writeLines(cd.parties, PARTY_HEADER, cards, (j) =>
    partyLine(j * DUPLICATE_EVERY, cd.system, `CD-${j}`, observedAt),
  );
  await writeLines(cd.accounts, ACCOUNT_HEADER, cards, (j) =>
    accountLine(
      `CARD-${j}`,
      `6225${String(j).padStart(12, '0')}`,
      'credit-card',
      `-${(j * 13) % 50_000}.80`,
      holders('CD', j),
      observedAt,
    ),
  );
  return { accounts, people: core, systems };
}
