import { randomUUID } from 'node:crypto';

import { CustomerCreatedV1 } from './events/customer-master/customer-created.v1';
import { SourcePartyRecordedV1 } from './events/account-bridge/source-party-recorded.v1';
import {
  allTopics,
  deadLetterTopic,
  deadLetterTopicFor,
  EVENT_DEFINITIONS,
  restrictedDeadLetterTopic,
} from './registry';
import { SERVICE_NAMES } from './services';
import { validateEnvelope, validatePayload } from './validation';

describe('SourcePartyRecord v1', () => {
  const valid = { sourceSystem: 'cards', sourceKey: 'C-1', partyType: 'individual', name: '王芳' };

  it('accepts a minimal record and keeps unknown extra fields', () => {
    const result = validatePayload(SourcePartyRecordedV1, { ...valid, branchCode: '0101' });
    expect(result).toEqual({ ok: true, value: { ...valid, branchCode: '0101' } });
  });

  it('accepts an impossible birth date (kept raw, flagged later)', () => {
    expect(validatePayload(SourcePartyRecordedV1, { ...valid, birthDate: '1990-02-30' }).ok).toBe(
      true,
    );
  });

  it.each([
    ['sourceSystem', { ...valid, sourceSystem: undefined }, 'sourceSystem', 'is required'],
    [
      'sourceSystem pattern',
      { ...valid, sourceSystem: 'Core Banking' },
      'sourceSystem',
      'must match pattern',
    ],
    [
      'sourceKey',
      { ...valid, sourceKey: '' },
      'sourceKey',
      'must NOT have fewer than 1 characters',
    ],
    [
      'sourceKey length',
      { ...valid, sourceKey: 'k'.repeat(129) },
      'sourceKey',
      'must NOT have more than 128',
    ],
    [
      'partyType',
      { ...valid, partyType: 'robot' },
      'partyType',
      'must be equal to one of the allowed values',
    ],
  ])('rejects a bad %s with a field message', (_label, record, field, message) => {
    const result = validatePayload(SourcePartyRecordedV1, record);
    expect(result.ok).toBe(false);
    if (result.ok) return;
    const hit = result.errors.find((e) => e.field === field);
    expect(hit?.message).toContain(message);
  });

  it('rejects a record with no name at all, with one clear reason', () => {
    const result = validatePayload(SourcePartyRecordedV1, {
      ...valid,
      name: undefined,
      givenName: '',
    });
    expect(result).toEqual({
      ok: false,
      errors: [
        {
          field: '(root)',
          message: 'at least one of name, nameLatin, givenName or familyName is required',
        },
      ],
    });
  });

  it.each(['nameLatin', 'givenName', 'familyName'])('accepts %s as the only name', (field) => {
    const record = {
      sourceSystem: 'cards',
      sourceKey: 'C-1',
      partyType: 'individual',
      [field]: 'Li',
    };
    expect(validatePayload(SourcePartyRecordedV1, record).ok).toBe(true);
  });
});

describe('envelopes', () => {
  const envelope = {
    specVersion: '1.0',
    id: randomUUID(),
    type: CustomerCreatedV1.type,
    version: 1,
    occurredAt: new Date().toISOString(),
    producer: 'customer-master',
    subject: CustomerCreatedV1.example.customerId,
    correlationId: randomUUID(),
    payload: CustomerCreatedV1.example,
  };

  it('accepts a well-formed envelope', () => {
    expect(validateEnvelope(CustomerCreatedV1, envelope).ok).toBe(true);
  });

  it('rejects an envelope of another event type', () => {
    const result = validateEnvelope(CustomerCreatedV1, {
      ...envelope,
      type: 'customer-master.customer.deleted',
    });
    expect(result.ok).toBe(false);
  });

  it('rejects a payload error under its path', () => {
    const result = validateEnvelope(CustomerCreatedV1, {
      ...envelope,
      payload: { ...envelope.payload, status: 'x' },
    });
    expect(result.ok).toBe(false);
    if (!result.ok) expect(result.errors[0].field).toBe('payload.status');
  });
});

describe('registry', () => {
  it('names every topic <owner>.<aggregate>.<event>.v<major>', () => {
    for (const spec of allTopics()) {
      expect(spec.topic).toMatch(/^[a-z-]+\.[a-z-]+\.[a-z-]+\.v[1-9][0-9]*$/);
      expect(spec.topic.startsWith(`${spec.owner}.`)).toBe(true);
    }
  });

  it('gives every service a restricted dead-letter topic beside its ordinary one', () => {
    for (const service of SERVICE_NAMES) {
      const ordinary = allTopics().find((t) => t.topic === deadLetterTopic(service));
      const restricted = allTopics().find((t) => t.topic === restrictedDeadLetterTopic(service));
      expect(ordinary).toEqual({
        topic: `${service}.message.dead-lettered.v1`,
        partitions: 1,
        owner: service,
        restricted: false,
      });
      expect(restricted).toEqual({
        topic: `${service}.message.dead-lettered-restricted.v1`,
        partitions: 1,
        owner: service,
        restricted: true,
      });
      expect(deadLetterTopicFor(service, true)).toBe(restricted?.topic);
      expect(deadLetterTopicFor(service, false)).toBe(ordinary?.topic);
    }
    for (const definition of EVENT_DEFINITIONS) {
      expect(allTopics().find((t) => t.topic === definition.topic)?.restricted).toBe(
        definition.restricted,
      );
    }
  });

  it('has a valid example for every event', () => {
    for (const definition of EVENT_DEFINITIONS) {
      expect({
        topic: definition.topic,
        result: validatePayload(definition, definition.example),
      }).toEqual({
        topic: definition.topic,
        result: { ok: true, value: definition.example },
      });
    }
  });
});
