import { createHmac, createSign, generateKeyPairSync, type KeyObject } from 'node:crypto';

import { base64url, exportJWK, generateKeyPair } from 'jose';

import { signTestToken, testKeys, type SignTestTokenOptions } from './auth';

/** One crafted request credential that a service must refuse with 401. */
export interface AttackCase {
  name: string;
  /** The Authorization header to send (undefined: none). */
  authorization?: string;
  /** Appended to the URL (e.g. a token in the query string). */
  query?: string;
}

const enc = (value: unknown) => base64url.encode(JSON.stringify(value));

/** A JWS built by hand: any header, any payload, any signature bytes. */
function rawJws(header: object, payload: object, signature = ''): string {
  return `${enc(header)}.${enc(payload)}.${signature}`;
}

function hmacJws(
  alg: 'HS256' | 'HS384' | 'HS512',
  header: object,
  payload: object,
  secret: string,
) {
  const signingInput = `${enc({ ...header, alg })}.${enc(payload)}`;
  const hash = { HS256: 'sha256', HS384: 'sha384', HS512: 'sha512' }[alg];
  const sig = createHmac(hash, secret).update(signingInput).digest('base64url');
  return `${signingInput}.${sig}`;
}

function rs256Jws(header: object, payload: object, key: KeyObject): string {
  const signingInput = `${enc({ ...header, alg: 'RS256' })}.${enc(payload)}`;
  const sig = createSign('RSA-SHA256').update(signingInput).sign(key).toString('base64url');
  return `${signingInput}.${sig}`;
}

function es256Jws(header: object, payload: object, key: KeyObject): string {
  const signingInput = `${enc({ ...header, alg: 'ES256' })}.${enc(payload)}`;
  const sig = createSign('SHA256')
    .update(signingInput)
    .sign({ key, dsaEncoding: 'ieee-p1363' })
    .toString('base64url');
  return `${signingInput}.${sig}`;
}

function flip(segment: string, at = segment.length - 2): string {
  const c = segment[at];
  return segment.slice(0, at) + (c === 'A' ? 'B' : 'A') + segment.slice(at + 1);
}

/**
 * 60+ ways to present a credential that must not authenticate: forged algorithms (none, HMAC
 * with the public key), foreign keys, unknown or hostile key ids, key-carrying headers, tampered
 * payloads and signatures, time claims out of range, wrong issuer or audience, malformed or
 * missing identity and roles, malformed headers and schemes, tokens outside the header.
 * Each is built for the role given (so a success would be a real privilege).
 */
export async function attackCases(role = 'admin', sub = 'attacker'): Promise<AttackCase[]> {
  const keys = await testKeys();
  const now = Math.floor(Date.now() / 1000);
  const claims = { sub, roles: [role] };
  const sign = (c: Record<string, unknown>, o: SignTestTokenOptions = {}) => signTestToken(c, o);
  const valid = await sign(claims);
  const [vh, vp, vs] = valid.split('.');
  const goodPayload = {
    ...claims,
    iss: 'bank-crm-test',
    aud: 'bank-crm',
    iat: now,
    exp: now + 300,
  };

  const otherEc = await generateKeyPair('ES256', { extractable: true });
  const otherP384 = await generateKeyPair('ES384', { extractable: true });
  const otherRsa = await generateKeyPair('RS256', { extractable: true, modulusLength: 2048 });
  const otherPs = await generateKeyPair('PS256', { extractable: true, modulusLength: 2048 });
  const weakRsa = generateKeyPairSync('rsa', { modulusLength: 1024 });
  const attackerJwk = await exportJWK(otherEc.publicKey);

  const bearer = (t: string) => `Bearer ${t}`;
  const cases: AttackCase[] = [];
  const add = (name: string, authorization?: string, query?: string) =>
    cases.push({ name, authorization, ...(query ? { query } : {}) });

  // --- presentation
  add('no Authorization header');
  add('empty Authorization header', '');
  add('scheme only', 'Bearer');
  add('scheme and a space', 'Bearer ');
  add('two spaces before the token', `Bearer  ${valid}`);
  add('tab instead of space', `Bearer\t${valid}`);
  add('no space after the scheme', `Bearer${valid}`);
  add('colon after the scheme', `Bearer: ${valid}`);
  add('token without a scheme', valid);
  add('Basic credentials', `Basic ${Buffer.from('admin:admin').toString('base64')}`);
  add('Token scheme', `Token ${valid}`);
  add('JWT scheme', `JWT ${valid}`);
  add('trailing garbage after the token', `Bearer ${valid} extra`);
  add('two tokens, comma-separated', `Bearer ${valid}, Bearer ${valid}`);
  add('token in the query string (access_token)', undefined, `access_token=${valid}`);
  add('token in the query string (token)', undefined, `token=${valid}`);
  add('lowercase scheme with a tampered signature', `bearer ${vh}.${vp}.${flip(vs)}`);
  add(
    'uppercase scheme with an expired token',
    `BEARER ${await sign(claims, { expiresInSeconds: -3600 })}`,
  );

  // --- algorithm confusion
  add('alg none, no signature', bearer(rawJws({ alg: 'none', typ: 'JWT' }, goodPayload)));
  add('alg none with a signature segment', bearer(rawJws({ alg: 'none' }, goodPayload, vs)));
  add('alg None (case variant)', bearer(rawJws({ alg: 'None' }, goodPayload)));
  add('alg NONE (case variant)', bearer(rawJws({ alg: 'NONE' }, goodPayload)));
  add('alg missing from the header', bearer(rawJws({ typ: 'JWT' }, goodPayload, vs)));
  add(
    'HS256 signed with the public key PEM as secret',
    bearer(hmacJws('HS256', { typ: 'JWT', kid: keys.kid }, goodPayload, keys.publicKeyPem)),
  );
  add(
    'HS256 signed with the PEM without newline',
    bearer(hmacJws('HS256', {}, goodPayload, keys.publicKeyPem.trim())),
  );
  add(
    'HS384 signed with the public key PEM',
    bearer(hmacJws('HS384', {}, goodPayload, keys.publicKeyPem)),
  );
  add(
    'HS512 signed with the public key PEM',
    bearer(hmacJws('HS512', {}, goodPayload, keys.publicKeyPem)),
  );
  add(
    'HS256 signed with the kid as secret',
    bearer(hmacJws('HS256', { kid: keys.kid }, goodPayload, keys.kid)),
  );
  add('HS256 signed with an empty secret', bearer(hmacJws('HS256', {}, goodPayload, '')));
  add(
    'header alg RS256 on an ES256 signature',
    bearer(`${enc({ alg: 'RS256', kid: keys.kid })}.${vp}.${vs}`),
  );
  add(
    'header alg ES384 on an ES256 signature',
    bearer(`${enc({ alg: 'ES384', kid: keys.kid })}.${vp}.${vs}`),
  );

  // --- foreign keys and key ids
  add(
    'ES256 signed by another key, claiming our kid',
    bearer(await sign(claims, { key: otherEc.privateKey, kid: keys.kid })),
  );
  add(
    'ES256 signed by another key, no kid',
    bearer(await sign(claims, { key: otherEc.privateKey, kid: null })),
  );
  add(
    'RS256 signed by another key',
    bearer(await sign(claims, { key: otherRsa.privateKey, alg: 'RS256', kid: null })),
  );
  add(
    'RS256 signed by another key, claiming our kid',
    bearer(await sign(claims, { key: otherRsa.privateKey, alg: 'RS256', kid: keys.kid })),
  );
  add(
    'RS256 with a 1024-bit key',
    bearer(rs256Jws({ typ: 'JWT' }, goodPayload, weakRsa.privateKey)),
  );
  add(
    'PS256 signed by another key',
    bearer(await sign(claims, { key: otherPs.privateKey, alg: 'PS256', kid: null })),
  );
  add(
    'ES384 signed by another key',
    bearer(await sign(claims, { key: otherP384.privateKey, alg: 'ES384', kid: null })),
  );
  add('valid signature, unknown kid', bearer(await sign(claims, { kid: 'unknown-key' })));
  add(
    'valid signature, kid path traversal',
    bearer(await sign(claims, { kid: '../../../../dev/null' })),
  );
  add('valid signature, kid SQL injection', bearer(await sign(claims, { kid: "' OR '1'='1" })));
  add(
    'jku header to an attacker JWKS',
    bearer(
      await sign(claims, {
        key: otherEc.privateKey,
        kid: null,
        header: { jku: 'http://127.0.0.1:1/jwks.json' },
      }),
    ),
  );
  add(
    'embedded jwk header (attacker key)',
    bearer(
      await sign(claims, { key: otherEc.privateKey, kid: null, header: { jwk: attackerJwk } }),
    ),
  );
  add(
    'x5u header',
    bearer(
      await sign(claims, {
        key: otherEc.privateKey,
        kid: null,
        header: { x5u: 'http://127.0.0.1:1/cert.pem' },
      }),
    ),
  );
  add(
    'crit header with an unknown extension',
    bearer(
      es256Jws(
        { kid: keys.kid, crit: ['x-bank'], 'x-bank': 1 },
        goodPayload,
        keys.privateKey as KeyObject,
      ),
    ),
  );

  // --- tampering
  add(
    'payload tampered: roles',
    bearer(`${vh}.${enc({ ...goodPayload, roles: ['admin', 'auditor'] })}.${vs}`),
  );
  add('payload tampered: sub', bearer(`${vh}.${enc({ ...goodPayload, sub: 'rm-001' })}.${vs}`));
  add(
    'payload tampered: exp extended',
    bearer(`${vh}.${enc({ ...goodPayload, exp: now + 86_400 * 365 })}.${vs}`),
  );
  add('header tampered: kid', bearer(`${enc({ alg: 'ES256', kid: 'x' })}.${vp}.${vs}`));
  add('signature tampered (one character)', bearer(`${vh}.${vp}.${flip(vs)}`));
  add('signature tampered (first character)', bearer(`${vh}.${vp}.${flip(vs, 0)}`));
  add('signature truncated', bearer(`${vh}.${vp}.${vs.slice(0, 40)}`));
  add('signature removed', bearer(`${vh}.${vp}.`));
  add(
    'signature of another valid token',
    bearer(`${vh}.${vp}.${(await sign({ sub: 'x', roles: ['auditor'] })).split('.')[2]}`),
  );

  // --- time
  add('expired an hour ago', bearer(await sign(claims, { expiresInSeconds: -3600 })));
  add('expired beyond the clock skew', bearer(await sign(claims, { expiresInSeconds: -90 })));
  add('not valid before an hour from now', bearer(await sign(claims, { notBeforeSeconds: 3600 })));
  add(
    'not valid before, beyond the clock skew',
    bearer(await sign(claims, { notBeforeSeconds: 120 })),
  );
  add('no exp', bearer(await sign(claims, { expiresInSeconds: null })));
  add(
    'exp not a number',
    bearer(await sign({ ...claims, exp: 'never' }, { expiresInSeconds: null })),
  );

  // --- issuer and audience
  add('wrong issuer', bearer(await sign(claims, { issuer: 'https://evil.example' })));
  add('dev issuer', bearer(await sign(claims, { issuer: 'bank-crm-dev' })));
  add('no issuer', bearer(await sign(claims, { issuer: null })));
  add('wrong audience', bearer(await sign(claims, { audience: 'another-app' })));
  add('audience list without ours', bearer(await sign(claims, { audience: ['a', 'b'] })));
  add('no audience', bearer(await sign(claims, { audience: null })));

  // --- identity and roles
  add('no sub', bearer(await sign({ roles: [role] })));
  add('empty sub', bearer(await sign({ sub: '', roles: [role] })));
  add('sub not a string', bearer(await sign({ sub: 12345 as unknown as string, roles: [role] })));
  add('roles a string, not an array', bearer(await sign({ sub, roles: role })));
  add('roles an object', bearer(await sign({ sub, roles: { [role]: true } })));
  add('no roles claim', bearer(await sign({ sub })));
  add('empty roles', bearer(await sign({ sub, roles: [] })));
  add('unknown roles only', bearer(await sign({ sub, roles: ['superuser', 'root'] })));
  add('role in another case', bearer(await sign({ sub, roles: [role.toUpperCase()] })));
  add('role under another claim name', bearer(await sign({ sub, role, groups: [role] })));

  // --- garbage
  add('garbage', 'Bearer abc');
  add('three empty segments', 'Bearer ..');
  add('non-JSON segments', 'Bearer a.b.c');
  add('JSON array header', bearer(`${base64url.encode('[]')}.${vp}.${vs}`));
  add('five segments (JWE shape)', bearer(`${vh}.${vp}.${vs}.a.b`));
  add(
    'oversized token (10 KB of claims)',
    bearer(await sign({ ...claims, pad: 'x'.repeat(10_000) })),
  );
  add('not base64url characters', `Bearer ${vh}.${vp}.${vs}+/=`);
  return cases;
}
