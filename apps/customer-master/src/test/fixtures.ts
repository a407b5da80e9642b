import { randomUUID } from 'node:crypto';

import {
  CustomerHoldingsChangedV2,
  validateEnvelope,
  type CustomerAccountV2,
  type CustomerHoldingsChangedV2Payload,
  type EventDefinition,
  type EventEnvelope,
} from '@bank-crm/contracts';
import { makeEnvelope, produceEnvelope, readTopic, waitFor } from '@bank-crm/testing';
import type { DataSource } from 'typeorm';

import { addDays, todayUtc } from '../common/dates';
import type { CustomerView } from '../customers/customer.mapper';
import type { HttpClient } from './http';

/** A valid 18-character resident id with a unique order code (check digit computed). */
export function residentId(birth = '19800101'): string {
  const weights = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2];
  const order = String(Math.floor(Math.random() * 1000)).padStart(3, '0');
  const area = String(110000 + Math.floor(Math.random() * 9999)).slice(0, 6);
  const first17 = `${area}${birth}${order}`;
  const sum = [...first17].reduce((s, d, i) => s + Number(d) * weights[i], 0);
  return first17 + '10X98765432'[sum % 11];
}

export async function createCustomer(
  http: HttpClient,
  body: Record<string, unknown> = {},
): Promise<CustomerView> {
  const res = await http.post<CustomerView>('/customers', {
    partyType: 'individual',
    category: 'personal',
    displayName: `客户${randomUUID().slice(0, 6)}`,
    ...body,
  });
  if (res.status !== 201)
    throw new Error(`create failed: ${res.status} ${JSON.stringify(res.body)}`);
  return res.body;
}

export function daysAgo(days: number): string {
  return addDays(todayUtc(), -days);
}

/**
 * A holdings snapshot (v2) as account-bridge would publish it: `open` savings/time-deposit
 * accounts, `closed` closed credit cards, and `extra` accounts as given (held unless closed).
 */
export function holdings(
  customerId: string,
  sequence: number,
  options: {
    open: number;
    lastActivityOn: string | null;
    everHad?: boolean;
    closed?: number;
    extra?: CustomerAccountV2[];
  },
): EventEnvelope<CustomerHoldingsChangedV2Payload> {
  const accounts: CustomerAccountV2[] = [];
  for (let i = 0; i < options.open; i += 1) {
    accounts.push({
      accountRef: `core-banking:${customerId.slice(0, 8)}-${i}`,
      sourceSystem: 'core-banking',
      productType: i % 2 === 0 ? 'savings' : 'time-deposit',
      accountNumberMasked: `************${String(1000 + i)}`,
      role: i === 0 ? 'primary-holder' : 'joint-holder',
      status: 'open',
      currency: 'CNY',
      balance: i === 0 ? '15230.55' : '100000.00',
      openedOn: '2020-01-01',
      lastActivityOn: options.lastActivityOn,
    });
  }
  for (let i = 0; i < (options.closed ?? 0); i += 1) {
    accounts.push({
      accountRef: `cards:${customerId.slice(0, 8)}-${i}`,
      sourceSystem: 'cards',
      productType: 'credit-card',
      accountNumberMasked: `************${String(2000 + i)}`,
      role: 'primary-holder',
      status: 'closed',
      currency: 'CNY',
      balance: '0.00',
      openedOn: '2019-01-01',
      closedOn: '2019-06-01',
    });
  }
  accounts.push(...(options.extra ?? []));
  const open = accounts.filter((a) => a.status !== 'closed');
  const buckets = new Map<
    string,
    { productType: CustomerAccountV2['productType']; count: number; total: number }
  >();
  for (const a of open) {
    const b = buckets.get(a.productType) ?? { productType: a.productType, count: 0, total: 0 };
    b.count += 1;
    b.total += Number(a.balance);
    buckets.set(a.productType, b);
  }
  return makeEnvelope(
    CustomerHoldingsChangedV2,
    {
      customerId,
      sequence,
      asOf: new Date(Date.UTC(2026, 0, 1) + sequence * 60_000).toISOString(),
      change: 'snapshot',
      openAccountCount: open.length,
      everHadAccount: options.everHad ?? accounts.length > 0,
      lastActivityOn: options.lastActivityOn,
      accounts,
      holdings: [...buckets.values()].map((b) => ({
        productType: b.productType,
        currency: 'CNY',
        accountCount: b.count,
        totalBalance: b.total.toFixed(2),
      })),
    },
    { subject: customerId },
  );
}

/** Produces a holdings event on its topic (v2 unless told), checked against its contract. */
export async function produceHoldings<P>(
  envelope: EventEnvelope<P>,
  definition: EventDefinition = CustomerHoldingsChangedV2,
): Promise<void> {
  const checked = validateEnvelope(definition, envelope);
  if (!checked.ok)
    throw new Error(`test holdings event is invalid: ${JSON.stringify(checked.errors)}`);
  await produceEnvelope(definition.topic, envelope);
}

/** Waits until the service has processed an event it consumes (its inbox has it). */
export async function processed(dataSource: DataSource, eventId: string): Promise<void> {
  await waitFor(
    async () => {
      const rows: unknown[] = await dataSource.query('SELECT 1 FROM inbox WHERE event_id = $1', [
        eventId,
      ]);
      return rows.length ? true : undefined;
    },
    { what: `event ${eventId} processed` },
  );
}

/** Waits until the outbox relay has published everything committed so far. */
export async function outboxDrained(dataSource: DataSource): Promise<void> {
  await waitFor(
    async () => {
      const [row] = (await dataSource.query(
        'SELECT count(*)::int AS n FROM outbox WHERE published_at IS NULL',
      )) as { n: number }[];
      return row.n === 0 ? true : undefined;
    },
    { what: 'the outbox to drain' },
  );
}

/** The published events of a topic with this key, validated against the contract. */
/** Topics are read from here on (a shared broker may hold far older messages). */
const READ_SINCE = Date.now() - 5_000;

export async function eventsFor<P>(
  definition: EventDefinition,
  key: string,
  count: number,
): Promise<{ envelope: EventEnvelope<P>; raw: string }[]> {
  const messages = await readTopic(
    definition.topic,
    (ms) => ms.filter((m) => m.key === key).length >= count,
    30_000,
    { since: READ_SINCE },
  );
  return messages
    .filter((m) => m.key === key)
    .map((m) => {
      const checked = validateEnvelope<P>(definition, JSON.parse(m.value ?? ''));
      if (!checked.ok)
        throw new Error(`invalid ${definition.topic}: ${JSON.stringify(checked.errors)}`);
      return { envelope: checked.value, raw: m.value ?? '' };
    });
}

const SURNAMES = '王李张刘陈杨黄赵吴周徐孙马朱胡郭何林罗郑';
const GIVEN =
  '伟芳娜敏静丽强磊军洋勇艳杰娟涛明超秀霞平刚华玉兰萍红梅琳凤龙东国庆飞宁云晓辉鹏斌宇浩凯睿博嘉欣怡雪婷颖倩雯慧佳晨阳';

/** A random Chinese person name, unlikely to meet any other test's names (72,000 forms). */
export function uniqueHanName(): { surname: string; given: string; name: string } {
  const pick = (s: string) => s[Math.floor(Math.random() * s.length)];
  const surname = pick(SURNAMES);
  const given = pick(GIVEN) + pick(GIVEN);
  return { surname, given, name: surname + given };
}

/** A random mainland mobile number. */
export function randomMobile(): string {
  return `13${Math.floor(Math.random() * 1e9)
    .toString()
    .padStart(9, '0')}`;
}

/** A random birth date between 1950 and 1999, as YYYYMMDD. */
export function randomBirth(): string {
  const y = 1950 + Math.floor(Math.random() * 50);
  const m = 1 + Math.floor(Math.random() * 12);
  const d = 1 + Math.floor(Math.random() * 28);
  return `${y}${String(m).padStart(2, '0')}${String(d).padStart(2, '0')}`;
}
