import { createHash } from 'node:crypto';

import { CUSTOMER_ID_NAMESPACE, uuidV5 } from './customer-id';

/** The reference: RFC 4122 section 4.3 with Node's SHA-1. */
function reference(name: string, namespace = CUSTOMER_ID_NAMESPACE): string {
  const ns = Buffer.from(namespace.replace(/-/g, ''), 'hex');
  const b = createHash('sha1').update(ns).update(name, 'utf8').digest().subarray(0, 16);
  b[6] = (b[6] & 0x0f) | 0x50;
  b[8] = (b[8] & 0x3f) | 0x80;
  const h = b.toString('hex');
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-${h.slice(12, 16)}-${h.slice(16, 20)}-${h.slice(20)}`;
}

describe('uuidV5', () => {
  it('is the RFC 4122 name-based SHA-1 UUID (DNS namespace example)', () => {
    expect(uuidV5('www.example.com', '6ba7b810-9dad-11d1-80b4-00c04fd430c8')).toBe(
      '2ed6657d-e927-568b-95e1-2665a8aea6a2',
    );
  });

  it('agrees with Node crypto for names of every length across SHA-1 block edges', () => {
    for (let n = 0; n < 200; n++) {
      const name = `core-banking:CB-${'x'.repeat(n)}`;
      expect(uuidV5(name)).toBe(reference(name));
    }
    for (const name of ['', 'wealth:张伟-1', 'cards:É😀', 'a'.repeat(1000)])
      expect(uuidV5(name)).toBe(reference(name));
  });
});
