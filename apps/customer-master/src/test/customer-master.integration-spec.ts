import {
  CustomerCreatedV1,
  SourcePartyRecordedV1,
  validateEnvelope,
  type SourcePartyRecordV1,
} from '@bank-crm/contracts';
import {
  closeTestKafka,
  expectRoutesAnswerAsDeclared,
  makeEnvelope,
  produceEnvelope,
  readTopic,
  startTestService,
  waitFor,
  type RunningService,
} from '@bank-crm/testing';

import type { CustomerMasterConfig } from '../config/customer-master.config';
import { customerMasterService } from '../service-definition';
import { authHeaders, ADMIN } from './http';

describe('customer-master against the real PostgreSQL and Kafka', () => {
  let svc: RunningService<CustomerMasterConfig>;
  /** Topics are read from here on (a shared broker may hold far older messages). */
  const started = Date.now() - 5_000;

  beforeAll(async () => {
    svc = await startTestService(customerMasterService);
  });

  afterAll(async () => {
    await svc?.close();
    await closeTestKafka();
  });

  const post = async (path: string, body: unknown) =>
    fetch(`${svc.url}${path}`, {
      method: 'POST',
      headers: {
        'content-type': 'application/json',
        ...(await authHeaders(ADMIN.role, ADMIN.userId)),
      },
      body: typeof body === 'string' ? body : JSON.stringify(body),
    });
  const get = async (path: string) =>
    fetch(`${svc.url}${path}`, { headers: await authHeaders(ADMIN.role, ADMIN.userId) });

  it('is live and ready (database, migrations, consumer)', async () => {
    expect((await fetch(`${svc.url}/health/live`)).status).toBe(200);
    const ready = await fetch(`${svc.url}/health/ready`);
    expect(ready.status).toBe(200);
    const body = (await ready.json()) as { details: Record<string, { status: string }> };
    expect(Object.keys(body.details).sort()).toEqual(['database', 'kafkaConsumer', 'migrations']);
  });

  it('every route has an access policy, and answers every role exactly as declared', async () => {
    await expectRoutesAnswerAsDeclared(svc.app, svc.url);
  });

  it("runs its statements without JIT compilation (the connections' options)", async () => {
    const [row] = (await svc.dataSource.query('SHOW jit')) as { jit: string }[];
    expect(row.jit).toBe('off');
  });

  it('serves OpenAPI JSON and Prometheus metrics', async () => {
    const docs = (await (await fetch(`${svc.url}/docs-json`)).json()) as {
      paths: Record<string, unknown>;
    };
    expect(Object.keys(docs.paths)).toEqual(
      expect.arrayContaining(['/customers', '/customers/{id}']),
    );
    const metrics = await (await fetch(`${svc.url}/metrics`)).text();
    expect(metrics).toContain('bankcrm_outbox_backlog');
    expect(metrics).toContain('bankcrm_consumer_up{service="customer-master"} 1');
  });

  it('creates a customer and publishes customer.created through the outbox, identifiers masked', async () => {
    const res = await post('/customers', {
      partyType: 'individual',
      category: 'personal',
      displayName: '李娜',
      identifiers: [{ type: 'CN_RESIDENT_ID', number: '１１０１０５ 1949 1231 002x' }],
    });
    expect(res.status).toBe(201);
    const created = (await res.json()) as {
      id: string;
      identifiers: { masked: string }[];
      status: string;
    };
    expect(created.status).toBe('potential');
    expect(created.identifiers).toEqual([{ type: 'CN_RESIDENT_ID', masked: '**************002X' }]);

    const messages = await readTopic(
      CustomerCreatedV1.topic,
      (ms) => ms.some((m) => m.key === created.id),
      30_000,
      { since: started },
    );
    const message = messages.find((m) => m.key === created.id);
    expect(message).toBeDefined();
    const envelope = validateEnvelope(CustomerCreatedV1, JSON.parse(message!.value!));
    expect(envelope.ok).toBe(true);
    expect(message!.value).not.toContain('110105');
  });

  it('answers 409 when an identifier already belongs to a customer', async () => {
    const body = {
      partyType: 'organization',
      category: 'corporate',
      displayName: '上海示例有限公司',
      identifiers: [{ type: 'CN_USCC', number: '91310000MA1FL8XQ30' }],
    };
    expect((await post('/customers', body)).status).toBe(201);
    expect((await post('/customers', body)).status).toBe(409);
  });

  it.each([
    ['an empty body', {}, ['partyType', 'category', 'displayName']],
    [
      'an unknown field',
      { partyType: 'individual', category: 'personal', displayName: 'A', rm: 'x' },
      ['rm'],
    ],
    ['a bad enum', { partyType: 'robot', category: 'personal', displayName: 'A' }, ['partyType']],
    [
      'a bad nested identifier',
      {
        partyType: 'individual',
        category: 'personal',
        displayName: 'A',
        identifiers: [{ type: 'SSN', number: '' }],
      },
      ['identifiers.0.type', 'identifiers.0.number'],
    ],
    [
      'a wrong type',
      { partyType: 'individual', category: 'personal', displayName: 42 },
      ['displayName'],
    ],
  ])('rejects %s with 400 and field messages', async (_label, body, fields) => {
    const res = await post('/customers', body);
    expect(res.status).toBe(400);
    const json = (await res.json()) as { errors: { field: string }[] };
    expect(json.errors.map((e) => e.field)).toEqual(expect.arrayContaining(fields));
  });

  it('rejects malformed JSON with 400, not 500', async () => {
    const res = await post('/customers', '{"partyType":');
    expect(res.status).toBe(400);
    expect(await res.text()).not.toMatch(/at .*\.js:\d+/);
  });

  it('answers 404 for an unknown customer and 400 for a malformed id', async () => {
    expect((await get('/customers/00000000-0000-4000-8000-000000000000')).status).toBe(404);
    expect((await get('/customers/not-a-uuid')).status).toBe(400);
  });

  it('consumes source party records from Kafka, keeping the newest observedAt', async () => {
    const key = `CB-${Date.now()}`;
    const record = (name: string, observedAt: string): SourcePartyRecordV1 => ({
      sourceSystem: 'core-banking',
      sourceKey: key,
      partyType: 'individual',
      name,
      idNumber: '110105194912310021',
      phone: '13800138000',
      observedAt,
    });
    const newer = makeEnvelope(SourcePartyRecordedV1, record('王芳', '2026-11-02T00:00:00Z'), {
      subject: `core-banking:${key}`,
    });
    const older = makeEnvelope(
      SourcePartyRecordedV1,
      record('王 芳 (old)', '2026-11-01T00:00:00Z'),
      {
        subject: `core-banking:${key}`,
      },
    );
    await produceEnvelope(SourcePartyRecordedV1.topic, newer);
    await produceEnvelope(SourcePartyRecordedV1.topic, older);

    const seen = await waitFor(
      async () => {
        const res = await get(`/source-records/core-banking/${key}`);
        return res.status === 200
          ? ((await res.json()) as { record: Record<string, string> })
          : undefined;
      },
      { what: 'the source record' },
    );
    // both messages are processed in order on one partition; wait until the older one is too
    await waitFor(async () => {
      const [row] = await svc.dataSource.query(
        `SELECT count(*)::int AS n FROM inbox WHERE event_id = ANY($1::uuid[])`,
        [[newer.id, older.id]],
      );
      return row.n === 2 ? true : undefined;
    });
    const final = (await (await get(`/source-records/core-banking/${key}`)).json()) as {
      record: Record<string, string>;
    };
    expect(seen.record.name).toBe('王芳');
    expect(final.record.name).toBe('王芳');
    expect(final.record.idNumber).toBe('**************0021');
    expect(final.record.phone).toBe('*******8000');
  });
});
