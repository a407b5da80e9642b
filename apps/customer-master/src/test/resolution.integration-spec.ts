import { randomUUID } from 'node:crypto';

import {
  CustomerMergedV1,
  ReviewItemDecidedV1,
  ReviewItemOpenedV1,
  SourcePartyRecordedV1,
  SourceRecordLinkedV1,
  validateEnvelope,
  type SourcePartyRecordV1,
} from '@bank-crm/contracts';
import { DEFAULT_CONFIG, IdentityResolver } from '@bank-crm/identity';
import {
  closeTestKafka,
  makeEnvelope,
  produceEnvelope,
  readTopic,
  startTestService,
  waitFor,
  type RunningService,
} from '@bank-crm/testing';

import type { CustomerMasterConfig } from '../config/customer-master.config';
import { customerMasterService } from '../service-definition';
import * as OpenCC from 'opencc-js';
import { pinyin } from 'pinyin-pro';

import { randomBirth, randomMobile, residentId, uniqueHanName } from './fixtures';
import { httpClient, STEWARD } from './http';

interface Resolution {
  status: string;
  customerId: string | null;
  decision: {
    outcome: string;
    explanation: { candidate: string; score: { total: number; band: string; fields: unknown[] } };
  } | null;
  history: { cause: string; customerId: string; previousCustomerId: string | null }[];
  reviewItems: { id: string; status: string; kind: string }[];
}

interface ReviewItem {
  id: string;
  status: string;
  record: { sourceSystem: string; sourceKey: string };
  candidate: { sourceSystem: string; sourceKey: string };
  explanation: { total: number; fields: { field: string; level: string | null }[] };
  sides: { record: Record<string, unknown>; customerId: string }[];
}

describe('identity resolution in customer-master (real PostgreSQL and Kafka)', () => {
  let svc: RunningService<CustomerMasterConfig>;
  let http: ReturnType<typeof httpClient>;
  const run = randomUUID().slice(0, 8);
  const since = Date.now();
  const sys = (name: string) => `${name}-${run}`;

  beforeAll(async () => {
    // the run's systems stand in for the bank's: core banking first
    svc = await startTestService(customerMasterService, {
      RESOLUTION_SOURCE_PRIORITY: ['core-banking', 'loans', 'wealth', 'cards', 'online-banking']
        .map(sys)
        .join(','),
    });
    http = httpClient(svc.url, STEWARD);
  });

  afterAll(async () => {
    await svc?.close();
    await closeTestKafka();
  });

  const send = async (record: SourcePartyRecordV1) => {
    const envelope = makeEnvelope(SourcePartyRecordedV1, record, {
      subject: `${record.sourceSystem}:${record.sourceKey}`,
    });
    await produceEnvelope(SourcePartyRecordedV1.topic, envelope);
    return envelope;
  };
  const resolutionOf = async (system: string, key: string, observedAfter?: string) =>
    waitFor(
      async () => {
        const res = await http.get<Resolution & { observedAt: string }>(
          `/source-records/${system}/${key}/resolution`,
        );
        if (res.status !== 200 || res.body.status === 'pending') return undefined;
        if (observedAfter && res.body.observedAt < observedAfter) return undefined;
        return res.body;
      },
      { timeoutMs: 30_000, what: `resolution of ${system}/${key}` },
    );

  const toTraditional = OpenCC.Converter({ from: 'cn', to: 'tw' });
  const latin = (s: string) => {
    const p = pinyin(s, { toneType: 'none', type: 'array' }).join('');
    return p.charAt(0).toUpperCase() + p.slice(1);
  };
  const birth = randomBirth();
  const birthDate = `${birth.slice(0, 4)}-${birth.slice(4, 6)}-${birth.slice(6)}`;
  const zhang = uniqueHanName();
  const person = { id: residentId(birth), phone: randomMobile() };
  const address = `北京市朝阳区建国路${Math.floor(Math.random() * 900) + 100}号3栋2单元1201室`;

  it('links three records of one person from three systems to one golden customer, with lineage and explanations', async () => {
    const core: SourcePartyRecordV1 = {
      sourceSystem: sys('core-banking'),
      sourceKey: 'CB-1',
      partyType: 'individual',
      name: zhang.name,
      idType: 'CN_RESIDENT_ID',
      idNumber: person.id,
      birthDate,
      phone: `+86 ${person.phone.slice(0, 3)} ${person.phone.slice(3, 7)} ${person.phone.slice(7)}`,
      address,
      observedAt: '2026-01-01T00:00:00.000Z',
    };
    const cards: SourcePartyRecordV1 = {
      sourceSystem: sys('cards'),
      sourceKey: 'C-1',
      partyType: 'individual',
      name: toTraditional(zhang.name).split('').join(' '),
      nameLatin: `${latin(zhang.surname).toUpperCase()} ${latin(zhang.given)}`,
      idType: 'CN_RESIDENT_ID',
      idNumber: `${person.id.slice(0, 6)} ${person.id.slice(6, 14)} ${person.id.slice(14)}`,
      email: 'zhang.wei@example.com',
      observedAt: '2026-02-01T00:00:00.000Z',
    };
    const online: SourcePartyRecordV1 = {
      sourceSystem: sys('online-banking'),
      sourceKey: 'OB-1',
      partyType: 'individual',
      nameLatin: `${latin(zhang.given)} ${latin(zhang.surname)}`,
      birthDate,
      phone: person.phone,
      observedAt: '2026-03-01T00:00:00.000Z',
    };
    await send(core);
    const first = await resolutionOf(core.sourceSystem, core.sourceKey);
    await send(cards);
    await send(online);
    const second = await resolutionOf(cards.sourceSystem, cards.sourceKey);
    const third = await resolutionOf(online.sourceSystem, online.sourceKey);
    expect(first.decision?.outcome).toBe('new');
    expect(second.customerId).toBe(first.customerId);
    expect(third.customerId).toBe(first.customerId);
    expect(second.decision?.outcome).toBe('linked');
    // explainable: per-field levels and weights, the total and its band
    expect(second.decision?.explanation.score.band).toBe('autoLink');
    expect(second.decision?.explanation.score.total).toBeGreaterThanOrEqual(
      DEFAULT_CONFIG.thresholds.autoLink,
    );
    expect(second.decision?.explanation.score.fields).toEqual(
      expect.arrayContaining([expect.objectContaining({ field: 'id', level: 'exactChecked' })]),
    );

    const customer = await http.get<{ displayName: string; nameLatin: string | null }>(
      `/customers/${first.customerId}`,
    );
    expect(customer.body.displayName).toBe(zhang.name); // core banking wins the name
    expect(customer.body.nameLatin).toBe(cards.nameLatin);
    const xref = await http.get<{
      sourceRecords: { sourceSystem: string; sourceKey: string }[];
      lineage: Record<string, unknown>;
    }>(`/customers/${first.customerId}/source-records`);
    expect(xref.body.sourceRecords.map((r) => r.sourceSystem).sort()).toEqual(
      [core.sourceSystem, cards.sourceSystem, online.sourceSystem].sort(),
    );
    expect(xref.body.lineage.name).toBe(`${core.sourceSystem}:CB-1`);
    expect(xref.body.lineage.nameLatin).toBe(`${cards.sourceSystem}:C-1`);

    // the cross-reference is published for every record, keyed by the record
    const linked = await readTopic(
      SourceRecordLinkedV1.topic,
      (ms) => ms.filter((m) => m.value?.includes(run)).length >= 3,
      30_000,
      { since },
    );
    const mine = linked.filter((m) => m.value?.includes(run));
    expect(mine.map((m) => m.key).sort()).toEqual(
      [
        `${core.sourceSystem}:CB-1`,
        `${cards.sourceSystem}:C-1`,
        `${online.sourceSystem}:OB-1`,
      ].sort(),
    );
    for (const m of mine) {
      const v = validateEnvelope(SourceRecordLinkedV1, JSON.parse(m.value ?? ''));
      expect(v.ok).toBe(true);
    }
  });

  it('keeps a twin apart (same surname, birth date and address, different valid id)', async () => {
    const twinId = residentId(birth);
    const twin: SourcePartyRecordV1 = {
      sourceSystem: sys('core-banking'),
      sourceKey: 'CB-2',
      partyType: 'individual',
      name: zhang.surname + (zhang.given.at(-1) === '磊' ? '鑫' : '磊'),
      idType: 'CN_RESIDENT_ID',
      idNumber: twinId,
      birthDate,
      address,
    };
    await send(twin);
    const r = await resolutionOf(twin.sourceSystem, twin.sourceKey);
    const brother = await resolutionOf(sys('core-banking'), 'CB-1');
    expect(r.status).toBe('resolved');
    expect(r.customerId).not.toBe(brother.customerId);
  });

  it('merges two customers when a record bridges them: the older survives, the other redirects', async () => {
    const id = residentId(randomBirth());
    const ouyang = `欧阳${uniqueHanName().given}`;
    const mobile = randomMobile();
    const a: SourcePartyRecordV1 = {
      sourceSystem: sys('loans'),
      sourceKey: 'L-1',
      partyType: 'individual',
      name: ouyang,
      idType: 'CN_RESIDENT_ID',
      idNumber: id,
    };
    const b: SourcePartyRecordV1 = {
      sourceSystem: sys('wealth'),
      sourceKey: 'W-1',
      partyType: 'individual',
      name: ouyang,
      phone: mobile,
      email: `ouyang.${run}@example.org`,
      gender: 'M',
    };
    await send(a);
    const ra = await resolutionOf(a.sourceSystem, a.sourceKey);
    await send(b);
    const rb = await resolutionOf(b.sourceSystem, b.sourceKey);
    expect(rb.customerId).not.toBe(ra.customerId); // a shared name alone is not enough
    const bridge: SourcePartyRecordV1 = {
      sourceSystem: sys('cards'),
      sourceKey: 'C-2',
      partyType: 'individual',
      name: toTraditional(ouyang),
      idType: 'CN_RESIDENT_ID',
      idNumber: id,
      phone: `${mobile.slice(0, 3)}-${mobile.slice(3, 7)}-${mobile.slice(7)}`,
      email: `OUYANG.${run}@example.org`,
    };
    await send(bridge);
    const rc = await resolutionOf(bridge.sourceSystem, bridge.sourceKey);
    expect(rc.decision?.outcome).toBe('merged');
    expect(rc.customerId).toBe(ra.customerId);
    const redirected = await http.get<{ id: string; redirectedFrom?: string }>(
      `/customers/${rb.customerId}`,
    );
    expect(redirected.body.id).toBe(ra.customerId);
    expect(redirected.body.redirectedFrom).toBe(rb.customerId);
    const nowB = await resolutionOf(b.sourceSystem, b.sourceKey);
    expect(nowB.customerId).toBe(ra.customerId);
    expect(nowB.history.map((h) => h.cause)).toEqual(['resolution', 'merge']);
    const merged = await readTopic(
      CustomerMergedV1.topic,
      (ms) => ms.some((m) => m.value?.includes(rb.customerId ?? '-')),
      30_000,
      { since },
    );
    const event = merged.find((m) => m.value?.includes(rb.customerId ?? '-'));
    expect(event?.key).toBe(ra.customerId);
  });

  it('queues a review-band pair for a steward; a rejected pair is never linked or queued again', async () => {
    // same name and phone, different genders: a keying error, or two people?
    const chen = uniqueHanName().name;
    const sharedPhone = randomMobile();
    const one: SourcePartyRecordV1 = {
      sourceSystem: sys('core-banking'),
      sourceKey: 'CB-3',
      partyType: 'individual',
      name: chen,
      phone: sharedPhone,
      gender: 'F',
    };
    const two: SourcePartyRecordV1 = {
      sourceSystem: sys('cards'),
      sourceKey: 'C-3',
      partyType: 'individual',
      name: toTraditional(chen),
      phone: sharedPhone,
      gender: 'M',
      observedAt: '2026-05-01T00:00:00.000Z',
    };
    // precondition: the engine itself (default configuration) puts this pair in the review band
    const engine = new IdentityResolver();
    const pair = engine.explainPair(one, two);
    expect(typeof pair !== 'string' && pair.band).toBe('review');

    await send(one);
    const r1 = await resolutionOf(one.sourceSystem, one.sourceKey);
    await send(two);
    const r2 = await resolutionOf(two.sourceSystem, two.sourceKey);
    expect(r2.decision?.outcome).toBe('review');
    expect(r2.customerId).not.toBe(r1.customerId);
    expect(r2.reviewItems).toHaveLength(1);
    const itemId = r2.reviewItems[0].id;

    const queue = await http.get<{ items: { id: string }[]; total: number }>(
      '/review-items?status=open&pageSize=100',
    );
    expect(queue.body.items.map((i) => i.id)).toContain(itemId);
    const item = await http.get<ReviewItem>(`/review-items/${itemId}`);
    expect(item.body.sides).toHaveLength(2);
    expect(item.body.explanation.fields).toEqual(
      expect.arrayContaining([expect.objectContaining({ field: 'name' })]),
    );

    // a marketing user cannot see the queue
    expect((await http.as({ role: 'marketing', userId: 'm1' }).get('/review-items')).status).toBe(
      403,
    );

    const rejected = await http.post<{ status: string }>(`/review-items/${itemId}/reject`, {
      note: 'different people: checked the branch files',
    });
    expect(rejected.status).toBe(200);
    expect(rejected.body.status).toBe('rejected');
    expect((await http.post(`/review-items/${itemId}/reject`, {})).status).toBe(409);

    // a newer version of the record: re-resolved, still apart, no new review item for the pair
    await send({
      ...two,
      email: `chen.${run}@example.com`,
      observedAt: '2026-06-01T00:00:00.000Z',
    });
    const again = await resolutionOf(two.sourceSystem, two.sourceKey, '2026-06-01T00:00:00.000Z');
    expect(again.customerId).toBe(r2.customerId);
    expect(again.reviewItems.filter((i) => i.status === 'open')).toHaveLength(0);

    const decided = await readTopic(
      ReviewItemDecidedV1.topic,
      (ms) => ms.some((m) => m.key === itemId),
      30_000,
      { since },
    );
    expect(decided.some((m) => m.key === itemId && m.value?.includes('"rejected"'))).toBe(true);
    const opened = await readTopic(
      ReviewItemOpenedV1.topic,
      (ms) => ms.some((m) => m.key === itemId),
      30_000,
      { since },
    );
    const openedEvent = opened.find((m) => m.key === itemId);
    expect(openedEvent?.value).not.toContain(chen); // the explanation, never the values
  });

  it('a confirmed review item merges the two customers', async () => {
    const liu = uniqueHanName().name;
    const phone = randomMobile();
    const one: SourcePartyRecordV1 = {
      sourceSystem: sys('core-banking'),
      sourceKey: 'CB-4',
      partyType: 'individual',
      name: liu,
      phone,
      gender: '女',
    };
    const two: SourcePartyRecordV1 = {
      sourceSystem: sys('wealth'),
      sourceKey: 'W-4',
      partyType: 'individual',
      name: liu,
      phone,
      gender: '男',
    };
    await send(one);
    const r1 = await resolutionOf(one.sourceSystem, one.sourceKey);
    await send(two);
    const r2 = await resolutionOf(two.sourceSystem, two.sourceKey);
    expect(r2.reviewItems).toHaveLength(1);
    const confirmed = await http.post<{ status: string }>(
      `/review-items/${r2.reviewItems[0].id}/confirm`,
      { note: 'same person, confirmed by phone' },
    );
    expect(confirmed.status).toBe(200);
    expect(confirmed.body.status).toBe('linked');
    const after = await resolutionOf(two.sourceSystem, two.sourceKey);
    expect(after.customerId).toBe(r1.customerId);
  });

  it('splits a wrongly linked record out into a new customer; it is not linked back on its next update', async () => {
    const cardsKey = { sourceSystem: sys('cards'), sourceKey: 'C-1' };
    const before = await resolutionOf(cardsKey.sourceSystem, cardsKey.sourceKey);
    const res = await http.post<{ targetCustomerId: string; moved: string[] }>(
      `/customers/${before.customerId}/source-records/split`,
      { sourceRecords: [cardsKey], reason: 'card holder is the son, same name' },
    );
    expect(res.status).toBe(200);
    const newCustomer = res.body.targetCustomerId;
    expect(newCustomer).not.toBe(before.customerId);
    const moved = await resolutionOf(cardsKey.sourceSystem, cardsKey.sourceKey);
    expect(moved.customerId).toBe(newCustomer);
    expect(moved.history.at(-1)).toEqual(
      expect.objectContaining({
        cause: 'split',
        customerId: newCustomer,
        previousCustomerId: before.customerId,
      }),
    );
    const linked = await readTopic(
      SourceRecordLinkedV1.topic,
      (ms) => ms.some((m) => m.value?.includes(newCustomer)),
      30_000,
      { since },
    );
    expect(linked.find((m) => m.value?.includes(newCustomer))?.value).toContain(
      before.customerId ?? '-',
    );

    await send({
      ...cardsKey,
      partyType: 'individual',
      name: toTraditional(zhang.name),
      idType: 'CN_RESIDENT_ID',
      idNumber: person.id,
      observedAt: '2026-07-01T00:00:00.000Z',
    });
    const updated = await resolutionOf(
      cardsKey.sourceSystem,
      cardsKey.sourceKey,
      '2026-07-01T00:00:00.000Z',
    );
    expect(updated.customerId).toBe(newCustomer);

    // bad input: a record that is not the customer's
    const bad = await http.post<{ errors: { field: string }[] }>(
      `/customers/${before.customerId}/source-records/split`,
      { sourceRecords: [{ sourceSystem: 'nope', sourceKey: 'X' }], reason: 'x' },
    );
    expect(bad.status).toBe(400);
  });

  it('resolves an HTTP batch record by record: invalid ones get field errors, stale versions change nothing', async () => {
    const good: SourcePartyRecordV1 = {
      sourceSystem: sys('branch'),
      sourceKey: 'B-1',
      partyType: 'organization',
      name: `深圳市${uniqueHanName().given}科技有限公司`,
      observedAt: '2026-08-01T00:00:00.000Z',
    };
    const res = await http.post<{
      results: { index: number; status: string; customerId?: string; errors?: unknown[] }[];
      summary: Record<string, number>;
    }>('/source-records/batch', {
      records: [
        good,
        { sourceSystem: sys('branch'), sourceKey: 'B-2', partyType: 'individual' },
        { ...good, name: 'older name', observedAt: '2026-07-01T00:00:00.000Z' },
      ],
    });
    expect(res.status).toBe(200);
    expect(res.body.results[0]).toEqual(
      expect.objectContaining({ index: 0, status: 'resolved', outcome: 'new' }),
    );
    expect(res.body.results[1].status).toBe('invalid');
    expect(res.body.results[1].errors?.length).toBeGreaterThan(0);
    expect(res.body.results[2]).toEqual(
      expect.objectContaining({ status: 'stale', customerId: res.body.results[0].customerId }),
    );
    expect((await http.post('/source-records/batch', { records: [] })).status).toBe(400);
    expect((await http.post('/source-records/batch', 'nonsense')).status).toBe(400);
  });
});
