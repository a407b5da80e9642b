import { randomUUID } from 'node:crypto';

import { CustomerCreatedV1, type CustomerCreatedV1Payload } from '@bank-crm/contracts';
import {
  closeTestKafka,
  makeEnvelope,
  produceEnvelope,
  startTestService,
  waitFor,
  type RunningService,
} from '@bank-crm/testing';

import type { ServiceConfig } from '../config/service.config';
import { serviceService } from '../service-definition';

describe('service against the real PostgreSQL and Kafka', () => {
  let svc: RunningService<ServiceConfig>;

  beforeAll(async () => {
    svc = await startTestService(serviceService);
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
        const res = await fetch(`${svc.url}/customer-directory/${customerId}`);
        return res.status === 200
          ? ((await res.json()) as { displayName: string; status: string })
          : undefined;
      },
      { what: 'the directory entry' },
    );
    expect(entry).toMatchObject({ displayName: '周杰', status: 'potential' });
  });
});
