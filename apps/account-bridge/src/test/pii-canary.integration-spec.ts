import { randomBytes, randomUUID } from 'node:crypto';

import { allTopics, eventDefinitionForTopic } from '@bank-crm/contracts';
import {
  bearer,
  closeTestKafka,
  readTopicToEnd,
  startTestService,
  type RunningService,
} from '@bank-crm/testing';

import type { AccountBridgeConfig } from '../config/account-bridge.config';
import { accountBridgeService } from '../service-definition';

const digits = (n: number) => Array.from(randomBytes(n), (b) => String(b % 10)).join('');

/**
 * PII canary: unique identity, phone, e-mail and account numbers go into account-bridge through
 * every door (valid and invalid records, wrong roles, no token, path and query string), then
 * every log line the service wrote (debug level), every error body, the metrics and every
 * non-restricted topic, dead letters included, are searched for them: 0 hits. Only the restricted
 * source-party topic (whose contract carries raw identifiers by design) may hold them.
 */
describe('account-bridge: PII canary', () => {
  let svc: RunningService<AccountBridgeConfig>;
  const canary = {
    idNumber: `110105${digits(11)}X`,
    phone: `+86 139 ${digits(4)} ${digits(4)}`,
    email: `canary.${digits(8)}@example.com`,
    accountNumber: `6222${digits(15)}`,
  };
  const needles = [
    canary.idNumber,
    canary.phone,
    canary.phone.replace(/\s/g, ''),
    canary.email,
    canary.accountNumber,
  ];
  const bodies: string[] = [];
  const hits = (text: string) => needles.filter((n) => text.includes(n));

  beforeAll(async () => {
    svc = await startTestService(
      accountBridgeService,
      { LOG_LEVEL: 'debug' },
      { captureLogs: true },
    );
  });

  afterAll(async () => {
    await svc?.close();
    await closeTestKafka();
  });

  it('takes canary records through every door', async () => {
    const steward = await bearer('data-steward', 'steward-canary');
    const record = (extra: Record<string, unknown> = {}) =>
      JSON.stringify({
        sourceSystem: 'core-banking',
        sourceKey: `CANARY-${randomUUID()}`,
        partyType: 'individual',
        name: '赵敏',
        idType: 'CN_RESIDENT_ID',
        ...canary,
        ...extra,
      });
    const send = async (path: string, init: RequestInit) => {
      const res = await fetch(`${svc.url}${path}`, init);
      bodies.push(`${res.status} ${await res.text()}`);
      return res.status;
    };
    const json = { 'content-type': 'application/json' };
    expect(
      await send('/source-party-records', {
        method: 'POST',
        headers: { ...json, ...steward },
        body: record(),
      }),
    ).toBe(202);
    // invalid: no name, and a phone where an enum belongs
    expect(
      await send('/source-party-records', {
        method: 'POST',
        headers: { ...json, ...steward },
        body: record({ name: null, partyType: canary.phone }),
      }),
    ).toBe(400);
    // malformed JSON quoting the canaries
    expect(
      await send('/source-party-records', {
        method: 'POST',
        headers: { ...json, ...steward },
        body: `{"idNumber": "${canary.idNumber}", "phone": `,
      }),
    ).toBe(400);
    expect(
      await send('/source-party-records', {
        method: 'POST',
        headers: { ...json, ...(await bearer('marketing')) },
        body: record(),
      }),
    ).toBe(403);
    expect(
      await send('/source-party-records', {
        method: 'POST',
        headers: { ...json, authorization: `Bearer ${canary.idNumber}` },
        body: record(),
      }),
    ).toBe(401);
    expect(
      await send(
        `/customer-directory/${encodeURIComponent(canary.phone)}?email=${encodeURIComponent(canary.email)}`,
        { headers: steward },
      ),
    ).toBe(400);
    expect(
      await send(
        `/audit?entityId=${encodeURIComponent(canary.idNumber)}&actorId=${canary.accountNumber}`,
        { headers: await bearer('auditor') },
      ),
    ).toBe(200);
    expect(await send(`/no-such-route/${canary.accountNumber}`, { headers: steward })).toBe(404);
  });

  it('finds no canary in any error body', () => {
    for (const body of bodies) expect({ body, hits: hits(body) }).toEqual({ body, hits: [] });
  });

  it('finds no canary in any log line or in the metrics', async () => {
    const lines = svc.logLines();
    expect(lines.length).toBeGreaterThan(5);
    const leaking = lines.filter((l) => hits(l).length);
    expect(leaking).toEqual([]);
    expect(hits(await (await fetch(`${svc.url}/metrics`)).text())).toEqual([]);
  });

  it('finds no canary on any non-restricted topic, dead letters included; the restricted one has it', async () => {
    const scanned: string[] = [];
    // restricted: the restricted events and each service's restricted dead-letter topic
    for (const { topic, restricted } of allTopics()) {
      const messages = await readTopicToEnd(topic);
      const text = messages
        .map((m) => `${m.key} ${m.value} ${JSON.stringify(m.headers)}`)
        .join('\n');
      if (restricted) continue;
      scanned.push(topic);
      expect({ topic, hits: hits(text) }).toEqual({ topic, hits: [] });
    }
    expect(scanned.some((t) => t.endsWith('.message.dead-lettered.v1'))).toBe(true);
    expect(scanned.some((t) => t.endsWith('.message.dead-lettered-restricted.v1'))).toBe(false);
    const restrictedTopic = allTopics().find((t) => eventDefinitionForTopic(t.topic)?.restricted)!;
    const restricted = await readTopicToEnd(restrictedTopic.topic);
    expect(restricted.some((m) => m.value?.includes(canary.idNumber))).toBe(true);
  });
});
