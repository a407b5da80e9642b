import { randomUUID } from 'node:crypto';

import { CustomerCreatedV1, type CustomerCreatedV1Payload } from '@bank-crm/contracts';
import type { BaseConfig, ServiceDefinition } from '@bank-crm/service-runtime';

import { bearer } from './auth';
import { waitFor } from './infra';
import { closeTestKafka, makeEnvelope, produce, produceEnvelope } from './kafka';
import { expectRoutesAnswerAsDeclared } from './route-policy';
import { startTestService, type RunningService } from './service-harness';

/**
 * The tests every service that keeps a customer directory runs against the real PostgreSQL and
 * Kafka (call at a spec file's top level): it boots and answers health, readiness and its OpenAPI
 * document; every route answers every role exactly as its policy declares; the directory refuses
 * a request without a token; and a customer.created event on the real broker reaches the
 * directory.
 */
export function describeDirectoryService<C extends BaseConfig>(def: ServiceDefinition<C>): void {
  describe(`${def.serviceName} against the real PostgreSQL and Kafka`, () => {
    let svc: RunningService<C>;

    beforeAll(async () => {
      svc = await startTestService(def);
    });

    afterAll(async () => {
      await svc?.close();
      await closeTestKafka();
    });

    it('boots and answers ready', async () => {
      expect((await fetch(`${svc.url}/health/live`)).status).toBe(200);
      expect((await fetch(`${svc.url}/health/ready`)).status).toBe(200);
      expect((await fetch(`${svc.url}/docs-json`)).status).toBe(200);
    });

    it('every route has an access policy, and answers every role exactly as declared', async () => {
      await expectRoutesAnswerAsDeclared(svc.app, svc.url);
    });

    it('refuses the directory without a token (401) and reads it with one', async () => {
      const res = await fetch(`${svc.url}/customer-directory/${randomUUID()}`);
      expect(res.status).toBe(401);
      expect(res.headers.get('www-authenticate')).toMatch(/^Bearer/);
    });

    it('keeps its customer directory from customer-master events (a real Kafka round trip)', async () => {
      const customerId = randomUUID();
      const payload: CustomerCreatedV1Payload = {
        ...CustomerCreatedV1.example,
        customerId,
        displayName: '周杰',
      };
      await produceEnvelope(
        CustomerCreatedV1.topic,
        makeEnvelope(CustomerCreatedV1, payload, { subject: customerId }),
      );

      const entry = await waitFor(
        async () => {
          const res = await fetch(`${svc.url}/customer-directory/${customerId}`, {
            headers: await bearer('service-agent'),
          });
          return res.status === 200
            ? ((await res.json()) as { displayName: string; status: string })
            : undefined;
        },
        { what: 'the directory entry' },
      );
      expect(entry).toMatchObject({ displayName: '周杰', status: 'potential' });
    });

    it('keeps every entry of a burst of events, the same customer twice included', async () => {
      const ids = Array.from({ length: 30 }, () => randomUUID());
      const envelopes = ids.map((customerId, n) =>
        makeEnvelope(
          CustomerCreatedV1,
          { ...CustomerCreatedV1.example, customerId, displayName: `客户${n}` },
          { subject: customerId },
        ),
      );
      // a second event for the first customer (another event id): the first entry stays
      envelopes.push(
        makeEnvelope(
          CustomerCreatedV1,
          { ...CustomerCreatedV1.example, customerId: ids[0], displayName: 'later' },
          { subject: ids[0] },
        ),
      );
      await produce(
        CustomerCreatedV1.topic,
        envelopes.map((e) => ({ key: e.subject, value: JSON.stringify(e) })),
      );
      const headers = await bearer('service-agent');
      const names = await waitFor(
        async () => {
          const found = await Promise.all(
            ids.map(async (id) => {
              const res = await fetch(`${svc.url}/customer-directory/${id}`, { headers });
              return res.status === 200
                ? ((await res.json()) as { displayName: string }).displayName
                : undefined;
            }),
          );
          return found.every((n) => n !== undefined) ? found : undefined;
        },
        { what: 'all 30 directory entries' },
      );
      expect(names).toEqual(ids.map((_, n) => `客户${n}`));
    });
  });
}

/** A page of GET /customer-directory. */
export interface DirectoryPage {
  items: { customerId: string; relationshipManagerId: string | null }[];
  total: number;
}

/**
 * Every page of a service's customer directory as one relationship manager lists it (pages of
 * 200): the customer ids seen, the total the service reported, the statuses of the pages, and the
 * items that belong to another relationship manager (a data-scope leak; empty when scoped).
 */
export async function listPortfolio(
  url: string,
  rm: string,
): Promise<{ ids: string[]; total: number; statuses: number[]; foreign: string[] }> {
  const headers = await bearer('relationship-manager', rm);
  const ids: string[] = [];
  const statuses: number[] = [];
  const foreign: string[] = [];
  let total = -1;
  for (let offset = 0; ; offset += 200) {
    const res = await fetch(`${url}/customer-directory?limit=200&offset=${offset}`, { headers });
    statuses.push(res.status);
    if (res.status !== 200) break;
    const page = (await res.json()) as DirectoryPage;
    total = page.total;
    for (const item of page.items) {
      if (item.relationshipManagerId !== rm) foreign.push(item.customerId);
      ids.push(item.customerId);
    }
    if (page.items.length < 200) break;
  }
  return { ids, total, statuses, foreign };
}
