import { randomUUID } from 'node:crypto';

import {
  CustomerCreatedV1,
  SourceRecordLinkedV1,
  type CustomerCreatedV1Payload,
  type SourceRecordLinkedV1Payload,
} from '@bank-crm/contracts';
import {
  bearer,
  closeTestKafka,
  makeEnvelope,
  produce,
  startTestService,
  uniqueSuffix,
  waitFor,
  type RunningService,
  listPortfolio,
} from '@bank-crm/testing';
import { Client } from 'pg';

import type { AccountBridgeConfig } from '../config/account-bridge.config';
import type { ImportJobReport } from '../imports/import-pipeline';
import { accountBridgeService } from '../service-definition';
import { ACCOUNT_CSV_HEADER, accountCsvRow, uniqueSystem } from './account-fixtures';

interface AccountView {
  accountId: string;
  customerIds: string[];
  holders: { role: string; partySourceKey: string; customerId: string | null }[];
}

interface CustomerAccounts {
  customerId: string;
  accounts: (AccountView & { roles: string[] })[];
}

/** The account tables under row-level security, with what each holds. */
const SCOPED_TABLES = [
  'account',
  'account_holder',
  'party_customer',
  'customer_holdings',
  'customer_redirect',
  'pending_balance',
  'source_party',
] as const;

/**
 * The relationship-manager data scope of account-bridge, attacked. RM-A's 1,000 customers and
 * their accounts (and RM-B's 12) go in through the real ways in - a bulk import, customer-master's
 * events on the real broker - into a service running as a non-superuser role. RM-B then probes
 * every one of RM-A's accounts and customers on every route (reads, the update/ingest routes, the
 * import and export routes): 0 leaks; lists and counts show only RM-B's own. And PostgreSQL's
 * row-level security, checked with raw SQL as the service role, hides RM-A's rows from a query
 * that forgot its filter, in every account table.
 */
describe('account-bridge: relationship-manager data scope (application and row-level security)', () => {
  let svc: RunningService<AccountBridgeConfig>;
  let admin: Client;
  const suffix = uniqueSuffix();
  const RM_A = `rm-a-${suffix}`;
  const RM_B = `rm-b-${suffix}`;
  const A_COUNT = 1_000;
  const B_COUNT = 12;
  const system = uniqueSystem('scope');
  const aIds: string[] = [];
  const bIds: string[] = [];
  /** RM-A's accounts: key A-i held by party PA-i of customer aIds[i]. */
  const aAccounts: { id: string; key: string; number: string; customerId: string }[] = [];
  const bAccountIds: string[] = [];
  let jointId = '';
  let unresolvedId = '';
  let importJobId = '';
  const absorbedA = randomUUID();
  const absorbedB = randomUUID();
  const aNumber = (i: number) => `62220100${String(i).padStart(8, '0')}`;
  const bNumber = (i: number) => `62220200${String(i).padStart(8, '0')}`;

  const importFile = async (kind: string, body: string, jobId?: string) => {
    const query = new URLSearchParams({
      system,
      kind,
      format: 'csv',
      ...(jobId ? { jobId } : {}),
    });
    const res = await fetch(`${svc.url}/imports?${query.toString()}`, {
      method: 'POST',
      headers: { 'content-type': 'text/csv', ...(await bearer('data-steward', 'steward-1')) },
      body,
    });
    expect(res.status).toBe(201);
    return (await res.json()) as ImportJobReport;
  };

  const adminCount = async (sql: string, params: unknown[] = []) =>
    Number((await admin.query<{ n: string }>(sql, params)).rows[0].n);

  beforeAll(async () => {
    svc = await startTestService(
      accountBridgeService,
      { RATE_LIMIT_EXPENSIVE_PER_MINUTE: '100000' },
      { restrictedRole: true },
    );
    admin = new Client({ connectionString: svc.adminDatabaseUrl });
    await admin.connect();
    for (let i = 0; i < A_COUNT; i += 1) aIds.push(randomUUID());
    for (let i = 0; i < B_COUNT; i += 1) bIds.push(randomUUID());

    // the business systems' files, through the real import pipeline (as the service role)
    const parties = [
      'sourceKey,partyType,name',
      ...aIds.map((_, i) => `PA-${i},individual,A-${i}`),
      ...bIds.map((_, i) => `PB-${i},individual,B-${i}`),
      'PX-1,individual,unresolved',
    ].join('\n');
    const accounts = [
      ACCOUNT_CSV_HEADER,
      ...aIds.map((_, i) =>
        accountCsvRow({ key: `A-${i}`, number: aNumber(i), holders: `PA-${i}:primary-holder` }),
      ),
      ...bIds.map((_, i) =>
        accountCsvRow({ key: `B-${i}`, number: bNumber(i), holders: `PB-${i}:primary-holder` }),
      ),
      // a joint account of RM-A's customer 0 and RM-B's customer 0
      accountCsvRow({
        key: 'J-1',
        number: '6222030000000001',
        holders: 'PA-0:primary-holder;PB-0:joint-holder',
      }),
      // no holder of it is resolved to a customer (yet)
      accountCsvRow({ key: 'U-1', number: '6222040000000001', holders: 'PX-1:primary-holder' }),
    ].join('\n');
    importJobId = (await importFile('parties', parties)).id;
    const report = await importFile('accounts', accounts, importJobId);
    expect(report.files.find((f) => f.kind === 'accounts')).toMatchObject({
      recorded: A_COUNT + B_COUNT + 2,
      rejected: 0,
    });

    // customer-master's events on the real broker: the customers (with their RMs) and the links
    const created = (id: string, i: number, rm: string) =>
      makeEnvelope<CustomerCreatedV1Payload>(
        CustomerCreatedV1,
        {
          customerId: id,
          partyType: 'individual',
          category: 'personal',
          status: 'active',
          displayName: `${rm === RM_A ? 'A' : 'B'}-${i}`,
          identifiers: [],
          relationshipManagerId: rm,
          createdAt: new Date().toISOString(),
        },
        { subject: id },
      );
    const linked = (key: string, customerId: string) =>
      makeEnvelope<SourceRecordLinkedV1Payload>(
        SourceRecordLinkedV1,
        { sourceSystem: system, sourceKey: key, customerId, linkedAt: new Date().toISOString() },
        { subject: `${system}:${key}` },
      );
    const customers = [
      ...aIds.map((id, i) => created(id, i, RM_A)),
      ...bIds.map((id, i) => created(id, i, RM_B)),
    ];
    const links = [
      ...aIds.map((id, i) => linked(`PA-${i}`, id)),
      ...bIds.map((id, i) => linked(`PB-${i}`, id)),
    ];
    for (const [topic, envelopes] of [
      [CustomerCreatedV1.topic, customers],
      [SourceRecordLinkedV1.topic, links],
    ] as const) {
      for (let i = 0; i < envelopes.length; i += 250) {
        await produce(
          topic,
          envelopes.slice(i, i + 250).map((e) => ({ key: e.subject, value: JSON.stringify(e) })),
        );
      }
    }
    const ours = [...aIds, ...bIds];
    await waitFor(
      async () =>
        (await adminCount(
          'SELECT count(*) AS n FROM customer_directory WHERE customer_id = ANY($1::uuid[])',
          [ours],
        )) === ours.length &&
        (await adminCount(
          'SELECT count(*) AS n FROM customer_holdings WHERE customer_id = ANY($1::uuid[])',
          [ours],
        )) === ours.length
          ? true
          : undefined,
      { timeoutMs: 180_000, intervalMs: 250, what: 'the customers and their links to arrive' },
    );

    // a merge each (as customer-master's merge events leave it), and a balance of an account not
    // arrived yet
    await admin.query(
      `INSERT INTO customer_redirect (absorbed_id, survivor_id, merge_id, merged_at)
       VALUES ($1, $2, $5, now()), ($3, $4, $6, now())`,
      [absorbedA, aIds[2], absorbedB, bIds[2], randomUUID(), randomUUID()],
    );
    const pending = await fetch(`${svc.url}/source-account-balances`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', ...(await bearer('data-steward')) },
      body: JSON.stringify({
        sourceSystem: system,
        sourceKey: 'NOT-YET-1',
        currency: 'CNY',
        balance: '5.00',
        balanceAsOf: '2026-11-28T00:00:00Z',
      }),
    });
    expect(pending.status).toBe(202);

    const rows = (
      await admin.query<{ id: string; key: string; number: string }>(
        `SELECT id, source_key AS key, account_number AS number FROM account WHERE source_system = $1`,
        [system],
      )
    ).rows;
    const byKey = new Map(rows.map((r) => [r.key, r]));
    aIds.forEach((customerId, i) => {
      const row = byKey.get(`A-${i}`)!;
      aAccounts.push({ id: row.id, key: row.key, number: row.number, customerId });
    });
    bIds.forEach((_, i) => bAccountIds.push(byKey.get(`B-${i}`)!.id));
    jointId = byKey.get('J-1')!.id;
    unresolvedId = byKey.get('U-1')!.id;
  }, 300_000);

  afterAll(async () => {
    await admin?.end();
    await svc?.close();
    await closeTestKafka();
  });

  /** Runs `probe` over `items`, 50 at a time. */
  const sweep = async <T>(items: T[], probe: (item: T) => Promise<void>) => {
    for (let i = 0; i < items.length; i += 50) await Promise.all(items.slice(i, i + 50).map(probe));
  };

  it(`RM-B probes all ${A_COUNT} of RM-A's accounts and customers on every read route: every one answers 404, nothing leaks`, async () => {
    const headers = await bearer('relationship-manager', RM_B);
    const leaks: string[] = [];
    const statuses: Record<string, Record<number, number>> = {};
    const call = async (route: string, path: string, secrets: string[]) => {
      const res = await fetch(`${svc.url}${path}`, { headers });
      const body = await res.text();
      statuses[route] ??= {};
      statuses[route][res.status] = (statuses[route][res.status] ?? 0) + 1;
      const leaked = [...secrets, RM_A].filter((s) => body.includes(s));
      if (res.status !== 404 || leaked.length)
        leaks.push(`${path} -> ${res.status} ${leaked.join(',')}`);
    };
    // what RM-B must not learn (an error may echo the id RM-B sent, nothing else)
    await sweep(aAccounts, async (a) => {
      await call('GET /accounts/:accountId', `/accounts/${a.id}`, [a.number, a.customerId, 'PA-']);
      await call('GET /customers/:customerId/accounts', `/customers/${a.customerId}/accounts`, [
        a.id,
        a.number,
        'PA-',
      ]);
      await call('GET /customer-directory/:customerId', `/customer-directory/${a.customerId}`, [
        a.id,
        a.number,
        'PA-',
      ]);
    });
    // an id RM-A's customer absorbed answers for RM-A's survivor: not for RM-B
    await call('GET /customers/:customerId/accounts', `/customers/${absorbedA}/accounts`, [
      aIds[2],
    ]);
    // an account no holder of which is resolved to a customer: nobody's portfolio
    await call('GET /accounts/:accountId', `/accounts/${unresolvedId}`, ['6222040000000001']);
    expect(leaks).toEqual([]);
    expect(statuses).toEqual({
      'GET /accounts/:accountId': { 404: A_COUNT + 1 },
      'GET /customers/:customerId/accounts': { 404: A_COUNT + 1 },
      'GET /customer-directory/:customerId': { 404: A_COUNT },
    });
  });

  it(`RM-B probes all ${A_COUNT} of RM-A's accounts on every update, import and export route: all refused (403), nothing changes`, async () => {
    const headers = {
      'content-type': 'application/json',
      ...(await bearer('relationship-manager', RM_B)),
    };
    const answers: Record<string, Record<number, number>> = {};
    const leaks: string[] = [];
    const call = async (route: string, path: string, init: RequestInit, secrets: string[]) => {
      const res = await fetch(`${svc.url}${path}`, { ...init, headers: init.headers ?? headers });
      const body = await res.text();
      answers[route] ??= {};
      answers[route][res.status] = (answers[route][res.status] ?? 0) + 1;
      const leaked = [...secrets, RM_A].filter((s) => body.includes(s));
      if (leaked.length) leaks.push(`${route} -> ${leaked.join(',')}`);
    };
    await sweep(aAccounts, async (a) => {
      const secrets = [a.id, a.number, a.customerId];
      await call(
        'POST /source-account-balances',
        '/source-account-balances',
        {
          method: 'POST',
          body: JSON.stringify({
            sourceSystem: system,
            sourceKey: a.key,
            currency: 'CNY',
            balance: '0.01',
            balanceAsOf: '2030-01-01T00:00:00Z',
          }),
        },
        secrets,
      );
      await call(
        'POST /source-account-records',
        '/source-account-records',
        {
          method: 'POST',
          body: JSON.stringify({
            sourceSystem: system,
            sourceKey: a.key,
            accountNumber: a.number,
            productType: 'savings',
            currency: 'CNY',
            balance: '0.01',
            balanceAsOf: '2030-01-01T00:00:00Z',
            status: 'closed',
            openedOn: '2020-01-15',
            closedOn: '2029-12-31',
            holders: [{ sourceKey: 'PB-0', role: 'primary-holder' }],
            observedAt: '2030-01-01T00:00:00Z',
          }),
        },
        secrets,
      );
    });
    const csv = `${ACCOUNT_CSV_HEADER}\n${accountCsvRow({ key: 'A-0', number: aNumber(0), holders: 'PB-0:primary-holder', status: 'closed', closedOn: '2029-12-31', observedAt: '2030-01-01T00:00:00Z' })}`;
    await call(
      'POST /imports',
      `/imports?system=${system}&kind=accounts&format=csv`,
      { method: 'POST', body: csv, headers: { ...headers, 'content-type': 'text/csv' } },
      [],
    );
    await call('GET /imports/:id', `/imports/${importJobId}`, {}, [system]);
    await call('GET /imports/:id/rejections', `/imports/${importJobId}/rejections`, {}, []);
    await call('GET /audit', '/audit?limit=200', {}, []);
    expect(leaks).toEqual([]);
    expect(answers).toEqual({
      'POST /source-account-balances': { 403: A_COUNT },
      'POST /source-account-records': { 403: A_COUNT },
      'POST /imports': { 403: 1 },
      'GET /imports/:id': { 403: 1 },
      'GET /imports/:id/rejections': { 403: 1 },
      'GET /audit': { 403: 1 },
    });
    // RM-A's accounts are exactly as imported
    expect(
      await adminCount(
        `SELECT count(*) AS n FROM account
          WHERE source_system = $1 AND source_key LIKE 'A-%' AND status = 'open'
            AND balance = 1000 AND balance_as_of < '2030-01-01'`,
        [system],
      ),
    ).toBe(A_COUNT);
    expect(
      await adminCount(
        `SELECT count(*) AS n FROM account_holder
          WHERE source_system = $1 AND party_source_key = 'PB-0' AND valid_to IS NULL`,
        [system],
      ),
    ).toBe(2); // B-0 and the joint account, nothing more
  });

  it('lists and counts only the caller’s portfolio, on every page', async () => {
    const b = await listPortfolio(svc.url, RM_B);
    expect(b.foreign).toEqual([]);
    expect(new Set(b.statuses)).toEqual(new Set([200]));
    expect(b.total).toBe(B_COUNT);
    expect(b.ids.sort()).toEqual([...bIds].sort());
    const a = await listPortfolio(svc.url, RM_A);
    expect(a.foreign).toEqual([]);
    expect(new Set(a.statuses)).toEqual(new Set([200]));
    expect(a.total).toBe(A_COUNT);
    expect(a.ids.sort()).toEqual([...aIds].sort());
  });

  it("shows RM-B their own customers' accounts, and of a joint account only their own customer's link", async () => {
    const headers = await bearer('relationship-manager', RM_B);
    const accountsOf = async (customerId: string) => {
      const res = await fetch(`${svc.url}/customers/${customerId}/accounts`, { headers });
      expect(res.status).toBe(200);
      return (await res.json()) as CustomerAccounts;
    };
    const seenIds: string[] = [];
    for (const [i, id] of bIds.entries()) {
      const list = await accountsOf(id);
      expect(list.customerId).toBe(id);
      for (const account of list.accounts) {
        seenIds.push(account.accountId);
        expect(account.customerIds).toEqual([id]);
      }
      expect(list.accounts.map((x) => x.accountId)).toContain(bAccountIds[i]);
    }
    expect(seenIds.sort()).toEqual([...bAccountIds, jointId].sort());
    // an absorbed id answers for RM-B's survivor
    expect((await accountsOf(absorbedB)).customerId).toBe(bIds[2]);

    const joint = await fetch(`${svc.url}/accounts/${jointId}`, { headers });
    expect(joint.status).toBe(200);
    const body = await joint.text();
    const view = JSON.parse(body) as AccountView;
    expect(view.holders).toEqual([
      expect.objectContaining({
        partySourceKey: 'PB-0',
        role: 'joint-holder',
        customerId: bIds[0],
      }),
    ]);
    expect(view.customerIds).toEqual([bIds[0]]);
    expect(body).not.toContain(aIds[0]);
    expect(body).not.toContain('PA-0');

    const asA = await bearer('relationship-manager', RM_A);
    const jointForA = (await (
      await fetch(`${svc.url}/accounts/${jointId}`, { headers: asA })
    ).json()) as AccountView;
    expect(jointForA.holders.map((h) => h.partySourceKey)).toEqual(['PA-0']);
    expect((await fetch(`${svc.url}/accounts/${aAccounts[5].id}`, { headers: asA })).status).toBe(
      200,
    );
    expect((await fetch(`${svc.url}/accounts/${bAccountIds[5]}`, { headers: asA })).status).toBe(
      404,
    );
    expect((await fetch(`${svc.url}/accounts/${unresolvedId}`, { headers: asA })).status).toBe(404);
  });

  it('lets staff roles read every portfolio, the joint account with both holders', async () => {
    for (const role of [
      'admin',
      'marketing',
      'service-agent',
      'data-steward',
      'auditor',
    ] as const) {
      const headers = await bearer(role);
      expect((await fetch(`${svc.url}/accounts/${aAccounts[0].id}`, { headers })).status).toBe(200);
      expect((await fetch(`${svc.url}/accounts/${unresolvedId}`, { headers })).status).toBe(200);
      const joint = (await (
        await fetch(`${svc.url}/accounts/${jointId}`, { headers })
      ).json()) as AccountView;
      expect(joint.customerIds.sort()).toEqual([aIds[0], bIds[0]].sort());
      const list = (await (
        await fetch(`${svc.url}/customers/${absorbedA}/accounts`, { headers })
      ).json()) as CustomerAccounts;
      expect(list).toMatchObject({
        customerId: aIds[2],
        accounts: [{ accountId: aAccounts[2].id }],
      });
    }
  });

  describe('row-level security, raw SQL as the service role', () => {
    let svcClient: Client;
    beforeAll(async () => {
      svcClient = new Client({ connectionString: svc.databaseUrl });
      await svcClient.connect();
      const { rows } = await svcClient.query<{ rolsuper: boolean; rolbypassrls: boolean }>(
        'SELECT rolsuper, rolbypassrls FROM pg_roles WHERE rolname = current_user',
      );
      expect(rows[0]).toEqual({ rolsuper: false, rolbypassrls: false });
    });
    afterAll(() => svcClient?.end());

    const inTransaction = async <T>(
      settings: Record<string, string>,
      work: () => Promise<T>,
    ): Promise<T> => {
      await svcClient.query('BEGIN');
      try {
        for (const [k, v] of Object.entries(settings))
          await svcClient.query('SELECT set_config($1, $2, true)', [k, v]);
        return await work();
      } finally {
        await svcClient.query('ROLLBACK');
      }
    };
    const count = (sql: string, settings: Record<string, string> = {}, params: unknown[] = []) =>
      inTransaction(settings, async () =>
        Number((await svcClient.query<{ n: string }>(sql, params)).rows[0].n),
      );
    const asB = { 'bank_crm.user_id': RM_B };
    const asA = { 'bank_crm.user_id': RM_A };
    const bypass = { 'bank_crm.bypass': 'on' };

    it('a query with no scope set sees nothing in any account table (fails closed)', async () => {
      for (const table of SCOPED_TABLES)
        expect({ table, n: await count(`SELECT count(*) AS n FROM ${table}`) }).toEqual({
          table,
          n: 0,
        });
    });

    it("RM-B's transaction sees only RM-B's rows, and none of RM-A's, even unfiltered", async () => {
      const all = async (settings: Record<string, string>) => {
        const out: Record<string, number> = {};
        for (const table of SCOPED_TABLES)
          out[table] = await count(`SELECT count(*) AS n FROM ${table}`, settings);
        return out;
      };
      expect(await all(asB)).toEqual({
        account: B_COUNT + 1, // and the joint account
        account_holder: B_COUNT + 1, // PB-0's link to the joint account, not PA-0's
        party_customer: B_COUNT,
        customer_holdings: B_COUNT,
        customer_redirect: 1,
        pending_balance: 0,
        source_party: 0,
      });
      const ofA: [string, string, unknown[]][] = [
        [
          'account',
          'SELECT count(*) AS n FROM account WHERE id = ANY($1::uuid[])',
          [aAccounts.map((a) => a.id)],
        ],
        [
          'account_holder',
          `SELECT count(*) AS n FROM account_holder WHERE party_source_key LIKE 'PA-%'`,
          [],
        ],
        [
          'party_customer',
          'SELECT count(*) AS n FROM party_customer WHERE customer_id = ANY($1::uuid[])',
          [aIds],
        ],
        [
          'customer_holdings',
          'SELECT count(*) AS n FROM customer_holdings WHERE customer_id = ANY($1::uuid[])',
          [aIds],
        ],
        [
          'customer_redirect',
          'SELECT count(*) AS n FROM customer_redirect WHERE survivor_id = ANY($1::uuid[])',
          [aIds],
        ],
        [
          'customer_directory',
          'SELECT count(*) AS n FROM customer_directory WHERE relationship_manager_id = $1',
          [RM_A],
        ],
        [
          'joined',
          `SELECT count(*) AS n FROM account a
             JOIN account_holder h ON h.account_id = a.id
             JOIN party_customer pc ON pc.source_system = h.source_system AND pc.source_key = h.party_source_key
            WHERE pc.customer_id = ANY($1::uuid[])`,
          [aIds],
        ],
      ];
      for (const [what, sql, params] of ofA)
        expect({ what, n: await count(sql, asB, params) }).toEqual({ what, n: 0 });
      // and RM-A's own transaction sees them
      expect(
        await count('SELECT count(*) AS n FROM account WHERE id = ANY($1::uuid[])', asA, [
          aAccounts.map((a) => a.id),
        ]),
      ).toBe(A_COUNT);
      expect(await count('SELECT count(*) AS n FROM account', asA)).toBe(A_COUNT + 1);
    });

    it("RM-B can neither change nor delete RM-A's rows, nor attach rows to RM-A's customers", async () => {
      await inTransaction(asB, async () => {
        const updated = await svcClient.query(
          'UPDATE account SET balance = 0 WHERE id = ANY($1::uuid[])',
          [aAccounts.map((a) => a.id)],
        );
        expect(updated.rowCount).toBe(0);
        const deleted = await svcClient.query(
          `DELETE FROM account_holder WHERE party_source_key LIKE 'PA-%'`,
        );
        expect(deleted.rowCount).toBe(0);
        const holdings = await svcClient.query(
          'UPDATE customer_holdings SET open_account_count = 0 WHERE customer_id = ANY($1::uuid[])',
          [aIds],
        );
        expect(holdings.rowCount).toBe(0);
      });
      const refused: [string, string, unknown[]][] = [
        // moving RM-B's link onto RM-A's customer
        [
          'party_customer moved',
          'UPDATE party_customer SET customer_id = $1 WHERE customer_id = $2',
          [aIds[0], bIds[0]],
        ],
        [
          'party_customer added',
          `INSERT INTO party_customer (source_system, source_key, customer_id, linked_at)
           VALUES ($1, 'PX-1', $2, now())`,
          [system, aIds[0]],
        ],
        [
          'account added',
          `INSERT INTO account (id, source_system, source_key, account_number, account_number_masked,
             product_type, currency, balance, balance_as_of, published_balance, status, opened_on,
             content_hash, observed_at, version)
           VALUES ($1, $2, 'X-1', '1', '*', 'savings', 'CNY', 0, now(), 0, 'open', '2020-01-01',
             repeat('0', 64), now(), 1)`,
          [randomUUID(), system],
        ],
        [
          'pending balance added',
          `INSERT INTO pending_balance (source_system, source_key, update, balance_as_of)
           VALUES ($1, 'X-2', '{}', now())`,
          [system],
        ],
      ];
      for (const [what, sql, params] of refused) {
        await inTransaction(asB, async () => {
          await expect(svcClient.query(sql, params).then(() => what)).rejects.toThrow(
            /row-level security/,
          );
        });
      }
    });

    it('the bypass (staff scope, system work) sees every row; the setting ends with the transaction', async () => {
      expect(
        await count('SELECT count(*) AS n FROM account WHERE source_system = $1', bypass, [system]),
      ).toBe(A_COUNT + B_COUNT + 2);
      expect(
        await count('SELECT count(*) AS n FROM source_party WHERE source_system = $1', bypass, [
          system,
        ]),
      ).toBe(A_COUNT + B_COUNT + 1);
      expect(
        await count('SELECT count(*) AS n FROM pending_balance WHERE source_system = $1', bypass, [
          system,
        ]),
      ).toBe(1);
      expect(await count('SELECT count(*) AS n FROM account')).toBe(0);
    });

    it('every account table is FORCE ROW LEVEL SECURITY with its policy (its owner, the service role, is subject too)', async () => {
      const { rows } = await admin.query<{
        table: string;
        relrowsecurity: boolean;
        relforcerowsecurity: boolean;
        owner: string;
        policies: string[];
      }>(
        `SELECT c.relname AS table, c.relrowsecurity, c.relforcerowsecurity,
                pg_get_userbyid(c.relowner) AS owner,
                array(SELECT p.polname::text FROM pg_policy p WHERE p.polrelid = c.oid) AS policies
           FROM pg_class c
          WHERE c.relname = ANY($1::text[]) AND c.relkind = 'r'
          ORDER BY c.relname`,
        [[...SCOPED_TABLES]],
      );
      expect(rows).toEqual(
        [...SCOPED_TABLES].sort().map((table) => ({
          table,
          relrowsecurity: true,
          relforcerowsecurity: true,
          owner: svc.databaseRole,
          policies: [`${table}_rm_scope`],
        })),
      );
    });
  });
});
