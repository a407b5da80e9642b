import { randomUUID } from 'node:crypto';

import type { SourcePartyRecordV1 } from '@bank-crm/contracts';
import { closeTestKafka, startTestService, type RunningService } from '@bank-crm/testing';
import { Client } from 'pg';

import type { CustomerMasterConfig } from '../config/customer-master.config';
import { NameStatistics } from '../resolution/name-statistics';
import { customerMasterService } from '../service-definition';
import { httpClient, STEWARD } from './http';

interface BatchResult {
  results: { index: number; status: string; outcome?: string; customerId?: string }[];
}

interface Resolution {
  customerId: string | null;
  decision: {
    outcome: string;
    explanation: { score: { band: string; fields: { field: string; level: string | null }[] } };
  } | null;
}

/** A Latin surname of letters only, different for every n (and every run). */
const surname = (run: string, n: number) =>
  `Q${run.replace(/[^a-f]/g, 'x')}${n
    .toString(26)
    .split('')
    .map((d) => String.fromCharCode(97 + parseInt(d, 26)))
    .join('')}`;

describe('name statistics in customer-master (real PostgreSQL)', () => {
  let svc: RunningService<CustomerMasterConfig>;
  let http: ReturnType<typeof httpClient>;
  const run = randomUUID().slice(0, 8);
  const system = `core-${run}`;

  beforeAll(async () => {
    // counted at start-up (an empty database), then only when the test asks
    // as in production: a role under the customer tables' row-level security, not a superuser
    svc = await startTestService(
      customerMasterService,
      { RESOLUTION_NAME_STATISTICS_REFRESH_MS: '3600000' },
      { restrictedRole: true },
    );
    http = httpClient(svc.url, STEWARD);
    // the start-up count runs in the background: this joins it (an empty database, no johns)
    await svc.app.get(NameStatistics).refresh();
  });

  afterAll(async () => {
    await svc?.close();
    await closeTestKafka();
  });

  const post = async (records: SourcePartyRecordV1[]) => {
    const res = await http.post<BatchResult>('/source-records/batch', { records });
    expect(res.status).toBe(200);
    return res.body.results;
  };
  const person = (key: string, name: string, birthDate: string, address?: string) =>
    ({
      sourceSystem: system,
      sourceKey: key,
      partyType: 'individual',
      name,
      birthDate,
      ...(address ? { address } : {}),
      observedAt: '2026-11-01T00:00:00.000Z',
    }) as SourcePartyRecordV1;

  it('a one-letter spelling nobody else bears links as a keying error once the stored records show the common name', async () => {
    // sixty people called John, each a customer of their own
    const johns = await post(
      Array.from({ length: 60 }, (_, i) =>
        person(
          `J-${i}`,
          `John ${surname(run, i)}`,
          `19${50 + (i % 40)}-0${1 + (i % 9)}-1${i % 10}`,
        ),
      ),
    );
    expect(johns.every((r) => r.status === 'resolved' && r.outcome === 'new')).toBe(true);
    expect(new Set(johns.map((r) => r.customerId)).size).toBe(60);

    // the count taken at start-up knows no John yet: "Jahn" is another name, near "John"
    const [baker] = await post([person('B-1', 'John Baker', '1961-02-03', '12 Oak St')]);
    const [jahn] = await post([person('B-2', 'Jahn Baker', '1961-02-03', '12 Oak St')]);
    expect(jahn.status).toBe('resolved');
    expect(jahn.customerId).not.toBe(baker.customerId);
    const before = await http.get<Resolution>(`/source-records/${system}/B-2/resolution`);
    const nameBefore = before.body.decision?.explanation.score.fields.find(
      (f) => f.field === 'name',
    );
    expect(nameBefore?.level).toBe('fuzzy');

    // counted again: 62 person records bear "john", none "jyhn"
    const summary = await svc.app.get(NameStatistics).refresh();
    expect(summary.records).toBe(62);
    expect(summary.customers).toBe(62);

    const [scott] = await post([person('S-1', 'John Scott', '1953-04-13', '8017 Pine Rd')]);
    const [jyhn] = await post([person('S-2', 'Jyhn Scott', '1953-04-13', '8017 Pine Rd')]);
    expect(jyhn).toEqual(
      expect.objectContaining({
        status: 'resolved',
        outcome: 'linked',
        customerId: scott.customerId,
      }),
    );
    const after = await http.get<Resolution>(`/source-records/${system}/S-2/resolution`);
    const fields = after.body.decision?.explanation.score.fields ?? [];
    expect(fields.find((f) => f.field === 'name')?.level).toBe('typo');
    // with the name a keying error, the shared address is the person's own, not a household's
    expect(fields.find((f) => f.field === 'address')?.level).toBe('exact');
    expect(after.body.decision?.explanation.score.band).toBe('autoLink');
  });

  it('a count that fails leaves the matcher with the previous one', async () => {
    const statistics = svc.app.get(NameStatistics);
    const admin = new Client({ connectionString: svc.adminDatabaseUrl });
    await admin.connect();
    try {
      await admin.query('ALTER TABLE source_record RENAME TO source_record_away');
      try {
        await expect(statistics.refresh()).rejects.toThrow(/source_record/);
      } finally {
        await admin.query('ALTER TABLE source_record_away RENAME TO source_record');
      }
    } finally {
      await admin.end();
    }
    // still a keying error: the previous count (62 johns) stands
    const [scott] = await post([person('T-1', 'John Tate', '1972-06-21', '3 Elm St')]);
    const [jyhn] = await post([person('T-2', 'Jyhn Tate', '1972-06-21', '3 Elm St')]);
    expect(jyhn.customerId).toBe(scott.customerId);
  });
});
