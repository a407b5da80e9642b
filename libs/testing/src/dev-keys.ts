import { randomUUID } from 'node:crypto';
import { chmodSync, existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import * as path from 'node:path';

import { isRole, type Role } from '@bank-crm/auth';
import { DEV_JWT_ISSUER } from '@bank-crm/service-runtime';
import {
  calculateJwkThumbprint,
  exportJWK,
  exportPKCS8,
  exportSPKI,
  generateKeyPair,
  importPKCS8,
  importSPKI,
  SignJWT,
} from 'jose';

/** The development audience (the services' default; the issuer is DEV_JWT_ISSUER, refused in production). */
export const DEV_JWT_AUDIENCE = 'bank-crm';

/** Where `npm run stack` keeps the local key pair (git-ignored, like all of .local/). */
export function devKeysDir(root: string): string {
  return path.join(root, '.local', 'dev-keys');
}

/**
 * Creates the local ES256 key pair (private.pem 0600, public.pem) unless it exists. Idempotent.
 * Development only: services read the public key through JWT_PUBLIC_KEY_FILE, never by default.
 */
export async function ensureDevKeys(
  dir: string,
): Promise<{ created: boolean; publicKeyFile: string }> {
  const privateFile = path.join(dir, 'private.pem');
  const publicFile = path.join(dir, 'public.pem');
  if (existsSync(privateFile) && existsSync(publicFile))
    return { created: false, publicKeyFile: publicFile };
  mkdirSync(dir, { recursive: true, mode: 0o700 });
  const { privateKey, publicKey } = await generateKeyPair('ES256', { extractable: true });
  writeFileSync(privateFile, await exportPKCS8(privateKey), { mode: 0o600 });
  chmodSync(privateFile, 0o600);
  writeFileSync(publicFile, await exportSPKI(publicKey), { mode: 0o644 });
  return { created: true, publicKeyFile: publicFile };
}

export interface DevTokenRequest {
  roles: Role[];
  user: string;
  ttlSeconds?: number;
  issuer?: string;
  audience?: string;
}

/** A token signed with the local dev key, as the services of `npm run stack` accept it. */
export async function signDevToken(dir: string, request: DevTokenRequest): Promise<string> {
  const privatePem = readFileSync(path.join(dir, 'private.pem'), 'utf8');
  const publicPem = readFileSync(path.join(dir, 'public.pem'), 'utf8');
  const roles = request.roles.filter(isRole);
  if (roles.length === 0) throw new Error('at least one known role is needed');
  const privateKey = await importPKCS8(privatePem, 'ES256');
  const kid = await calculateJwkThumbprint(await exportJWK(await importSPKI(publicPem, 'ES256')));
  return new SignJWT({ roles })
    .setProtectedHeader({ alg: 'ES256', typ: 'JWT', kid })
    .setSubject(request.user)
    .setIssuer(request.issuer ?? DEV_JWT_ISSUER)
    .setAudience(request.audience ?? DEV_JWT_AUDIENCE)
    .setIssuedAt()
    .setExpirationTime(`${request.ttlSeconds ?? 3600}s`)
    .setJti(randomUUID())
    .sign(privateKey);
}
