import {
  CustomerHoldingsChangedV2,
  CustomerStatusChangedV1,
  type CustomerStatusChangedV1Payload,
} from '@bank-crm/contracts';
import {
  closeTestKafka,
  produce,
  startTestService,
  waitFor,
  type RunningService,
} from '@bank-crm/testing';

import { addDays, todayUtc } from '../common/dates';
import type { CustomerMasterConfig } from '../config/customer-master.config';
import type { CustomerView } from '../customers/customer.mapper';
import type { StatusHistoryEntry } from '../lifecycle/lifecycle.service';
import { LifecycleService } from '../lifecycle/lifecycle.service';
import { customerMasterService } from '../service-definition';
import {
  createCustomer,
  daysAgo,
  eventsFor,
  holdings,
  processed,
  produceHoldings,
} from './fixtures';
import { httpClient, STEWARD, type HttpClient } from './http';

describe('customer lifecycle driven by account-bridge events (real PostgreSQL and Kafka)', () => {
  let svc: RunningService<CustomerMasterConfig>;
  let http: HttpClient;

  beforeAll(async () => {
    svc = await startTestService(customerMasterService, {
      LIFECYCLE_DORMANT_AFTER_DAYS: '30',
      LIFECYCLE_SWEEP_INTERVAL_MS: '0',
    });
    http = httpClient(svc.url);
  });

  afterAll(async () => {
    await svc?.close();
    await closeTestKafka();
  });

  const statusOf = async (id: string) =>
    (await http.get<CustomerView>(`/customers/${id}`)).body.status;
  const waitStatus = (id: string, status: string) =>
    waitFor(async () => ((await statusOf(id)) === status ? true : undefined), {
      what: `status ${status}`,
    });
  const historyOf = async (id: string) =>
    (await http.get<StatusHistoryEntry[]>(`/customers/${id}/status-history`)).body;

  it('potential -> active -> dormant -> active -> lost, from holdings events end to end', async () => {
    const c = await createCustomer(http);
    expect(c.status).toBe('potential');

    const opened = holdings(c.id, 1, { open: 1, lastActivityOn: todayUtc() });
    await produceHoldings(opened);
    await waitStatus(c.id, 'active');

    // on-event check: the newest snapshot shows no activity for longer than 30 days
    await produceHoldings(holdings(c.id, 3, { open: 1, lastActivityOn: daysAgo(40) }));
    await waitStatus(c.id, 'dormant');

    // an older snapshot arriving late is ignored
    const stale = holdings(c.id, 2, { open: 1, lastActivityOn: todayUtc() });
    await produceHoldings(stale);
    await processed(svc.dataSource, stale.id);
    expect(await statusOf(c.id)).toBe('dormant');

    await produceHoldings(holdings(c.id, 4, { open: 2, lastActivityOn: todayUtc() }));
    await waitStatus(c.id, 'active');

    const closed = holdings(c.id, 5, { open: 0, lastActivityOn: daysAgo(1), closed: 1 });
    await produceHoldings(closed);
    await waitStatus(c.id, 'lost');

    const history = await historyOf(c.id);
    expect(history.map((h) => [h.from, h.to, h.cause, h.trigger])).toEqual([
      ['potential', 'active', 'first-account-opened', 'account-event'],
      ['active', 'dormant', 'inactivity', 'account-event'],
      ['dormant', 'active', 'activity-resumed', 'account-event'],
      ['active', 'lost', 'last-account-closed', 'account-event'],
    ]);
    expect(history[0].sourceEventId).toBe(opened.id);
    expect(history[3].sourceEventId).toBe(closed.id);
    for (const h of history) expect(Date.parse(h.changedAt)).not.toBeNaN();

    // every transition is published, in order, with increasing subject versions
    const events = await eventsFor<CustomerStatusChangedV1Payload>(
      CustomerStatusChangedV1,
      c.id,
      4,
    );
    expect(events.map((e) => e.envelope.payload.to)).toEqual([
      'active',
      'dormant',
      'active',
      'lost',
    ]);
    const versions = events.map((e) => e.envelope.subjectVersion ?? 0);
    expect([...versions].sort((a, b) => a - b)).toEqual(versions);
    expect(events[0].envelope.causationId).toBe(opened.id);
  });

  it('one batch with several snapshots of a customer takes every step in order, with consecutive versions, and keeps the newest in the 360 view', async () => {
    const a = await createCustomer(http);
    const b = await createCustomer(http);
    // one send: the consumer takes them as one chunk (a chunk applies them together)
    const batch = [
      holdings(a.id, 1, { open: 1, lastActivityOn: todayUtc() }),
      holdings(b.id, 1, { open: 1, lastActivityOn: daysAgo(40) }),
      holdings(a.id, 2, { open: 0, lastActivityOn: daysAgo(1), closed: 1 }),
      holdings(a.id, 1, { open: 1, lastActivityOn: todayUtc() }), // a repeat: older than 2
      holdings(b.id, 2, { open: 2, lastActivityOn: todayUtc() }),
      holdings(a.id, 3, { open: 2, lastActivityOn: todayUtc() }),
    ];
    await produce(
      CustomerHoldingsChangedV2.topic,
      batch.map((e) => ({ key: e.subject, value: JSON.stringify(e) })),
    );
    for (const e of batch) await processed(svc.dataSource, e.id);

    const historyA = await historyOf(a.id);
    expect(historyA.map((h) => [h.from, h.to, h.sourceEventId])).toEqual([
      ['potential', 'active', batch[0].id],
      ['active', 'lost', batch[2].id],
      ['lost', 'active', batch[5].id],
    ]);
    expect((await historyOf(b.id)).map((h) => [h.from, h.to, h.cause])).toEqual([
      ['potential', 'dormant', 'inactivity'],
      ['dormant', 'active', 'activity-resumed'],
    ]);
    const events = await eventsFor<CustomerStatusChangedV1Payload>(
      CustomerStatusChangedV1,
      a.id,
      3,
    );
    expect(events.map((e) => e.envelope.payload.to)).toEqual(['active', 'lost', 'active']);
    const versions = events.map((e) => e.envelope.subjectVersion ?? 0);
    expect(versions).toEqual([versions[0], versions[0] + 1, versions[0] + 2]);
    const customer = (await http.get<CustomerView>(`/customers/${a.id}`)).body;
    expect(customer.status).toBe('active');
    expect(customer.version).toBe(versions[2]);

    const view = await http.get<{ parts: { accounts?: { openAccountCount: number } } }>(
      `/customers/${a.id}/360`,
    );
    expect(view.body.parts.accounts?.openAccountCount).toBe(2);
  });

  it('the scheduled sweep makes customers dormant after the configured period', async () => {
    const c = await createCustomer(http);
    await produceHoldings(holdings(c.id, 1, { open: 1, lastActivityOn: daysAgo(20) }));
    await waitStatus(c.id, 'active');

    const lifecycle = svc.app.get(LifecycleService);
    await lifecycle.sweepDormant(addDays(todayUtc(), 5)); // 25 days: not yet
    expect(await statusOf(c.id)).toBe('active');
    expect(await lifecycle.sweepDormant(addDays(todayUtc(), 10))).toBeGreaterThanOrEqual(1); // 30 days
    expect(await statusOf(c.id)).toBe('dormant');
    const last = (await historyOf(c.id)).pop();
    expect(last).toMatchObject({
      from: 'active',
      to: 'dormant',
      cause: 'inactivity',
      trigger: 'dormancy-sweep',
    });
  });

  it('a data steward overrides the status (audited); the sweep respects it until new facts arrive', async () => {
    const c = await createCustomer(http);
    await produceHoldings(holdings(c.id, 1, { open: 1, lastActivityOn: daysAgo(31) }));
    await waitStatus(c.id, 'dormant');

    const steward = http.as(STEWARD);
    const res = await steward.post<StatusHistoryEntry>(`/customers/${c.id}/status`, {
      status: 'active',
      reason: 'customer visited the branch; core banking lags',
    });
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({
      from: 'dormant',
      to: 'active',
      cause: 'manual-override',
      trigger: 'manual',
      actorUserId: STEWARD.userId,
      reason: 'customer visited the branch; core banking lags',
    });
    expect(
      (await steward.post(`/customers/${c.id}/status`, { status: 'active', reason: 'again' }))
        .status,
    ).toBe(409);

    await svc.app.get(LifecycleService).sweepDormant();
    expect(await statusOf(c.id)).toBe('active');

    // newer account facts apply as usual
    await produceHoldings(holdings(c.id, 2, { open: 1, lastActivityOn: daysAgo(45) }));
    await waitStatus(c.id, 'dormant');

    const events = await eventsFor<CustomerStatusChangedV1Payload>(
      CustomerStatusChangedV1,
      c.id,
      3,
    );
    const manual = events.find((e) => e.envelope.payload.cause === 'manual-override');
    expect(manual?.envelope.payload).toMatchObject({
      actorUserId: STEWARD.userId,
      trigger: 'manual',
    });
  });

  it.each([
    ['no body', {}, ['status', 'reason']],
    ['an unknown status', { status: 'vip', reason: 'x' }, ['status']],
    ['an empty reason', { status: 'lost', reason: '' }, ['reason']],
    ['a too long reason', { status: 'lost', reason: 'x'.repeat(501) }, ['reason']],
    ['an extra field', { status: 'lost', reason: 'x', actor: 'me' }, ['actor']],
  ])('rejects an override with %s (400, field messages)', async (_label, body, fields) => {
    const c = await createCustomer(http);
    const res = await http.post<{ errors: { field: string }[] }>(`/customers/${c.id}/status`, body);
    expect(res.status).toBe(400);
    expect(res.body.errors.map((e) => e.field)).toEqual(expect.arrayContaining(fields));
  });

  it('refuses an override by a relationship manager (data stewards and admins only)', async () => {
    const c = await createCustomer(http);
    const rm = http.as({ role: 'relationship-manager', userId: 'rm-1' });
    expect(
      (await rm.post(`/customers/${c.id}/status`, { status: 'lost', reason: 'x' })).status,
    ).toBe(403);
  });
});
