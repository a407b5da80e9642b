import { randomUUID } from 'node:crypto';

import type { Role } from '@bank-crm/auth';
import {
  calculateJwkThumbprint,
  exportJWK,
  exportSPKI,
  generateKeyPair,
  SignJWT,
  type JWTPayload,
  type KeyLike,
} from 'jose';

/** The issuer and audience services started by the harness expect. */
export const TEST_JWT_ISSUER = 'bank-crm-test';
export const TEST_JWT_AUDIENCE = 'bank-crm';

export interface TestKeys {
  privateKey: KeyLike;
  publicKey: KeyLike;
  publicKeyPem: string;
  /** RFC 7638 thumbprint of the public key: the kid services accept. */
  kid: string;
}

let keys: Promise<TestKeys> | undefined;

/** This test process's ES256 key pair (made in memory once; never written anywhere). */
export function testKeys(): Promise<TestKeys> {
  keys ??= (async () => {
    const { privateKey, publicKey } = await generateKeyPair('ES256', { extractable: true });
    return {
      privateKey,
      publicKey,
      publicKeyPem: await exportSPKI(publicKey),
      kid: await calculateJwkThumbprint(await exportJWK(publicKey)),
    };
  })();
  return keys;
}

/** The token settings the harness gives every service it starts. */
export async function testAuthEnv(): Promise<Record<string, string>> {
  return {
    JWT_PUBLIC_KEY: (await testKeys()).publicKeyPem,
    JWT_ISSUER: TEST_JWT_ISSUER,
    JWT_AUDIENCE: TEST_JWT_AUDIENCE,
  };
}

export interface SignTestTokenOptions {
  /** Signing key (default: the harness key) and its algorithm (default ES256). */
  key?: KeyLike | Uint8Array;
  alg?: string;
  /** kid header: default the harness key's; null leaves it out. */
  kid?: string | null;
  /** Extra or overriding protected header fields. */
  header?: Record<string, unknown>;
  /** null leaves the claim out. */
  issuer?: string | null;
  audience?: string | string[] | null;
  /** Seconds from now; null leaves `exp` out. Default 300. */
  expiresInSeconds?: number | null;
  /** Seconds from now (negative: in the past); default: no nbf. */
  notBeforeSeconds?: number;
  /** Seconds from now for `iat` (default now); null leaves it out. */
  issuedAtSeconds?: number | null;
}

/**
 * A signed JWT with exactly the given claims and options: valid by default (harness key, ES256,
 * test issuer and audience, 5 minutes), and each part can be bent for attack tests.
 */
export async function signTestToken(
  claims: JWTPayload & Record<string, unknown>,
  options: SignTestTokenOptions = {},
): Promise<string> {
  const k = await testKeys();
  const now = Math.floor(Date.now() / 1000);
  const kid = options.kid === undefined ? k.kid : options.kid;
  const jwt = new SignJWT({ ...claims }).setProtectedHeader({
    alg: options.alg ?? 'ES256',
    typ: 'JWT',
    ...(kid === null ? {} : { kid }),
    ...options.header,
  });
  const issuer = options.issuer === undefined ? TEST_JWT_ISSUER : options.issuer;
  if (issuer !== null) jwt.setIssuer(issuer);
  const audience = options.audience === undefined ? TEST_JWT_AUDIENCE : options.audience;
  if (audience !== null) jwt.setAudience(audience);
  const exp = options.expiresInSeconds === undefined ? 300 : options.expiresInSeconds;
  if (exp !== null) jwt.setExpirationTime(now + exp);
  if (options.notBeforeSeconds !== undefined) jwt.setNotBefore(now + options.notBeforeSeconds);
  const iat = options.issuedAtSeconds === undefined ? 0 : options.issuedAtSeconds;
  if (iat !== null) jwt.setIssuedAt(now + iat);
  return jwt.sign(options.key ?? k.privateKey);
}

/** `{ authorization: 'Bearer …' }` for a valid token of one role (or several). */
export async function bearer(
  role: Role | Role[],
  userId = 'test-user',
): Promise<Record<string, string>> {
  const roles = Array.isArray(role) ? role : [role];
  const token = await signTestToken({ sub: userId, roles, jti: randomUUID() });
  return { authorization: `Bearer ${token}` };
}
