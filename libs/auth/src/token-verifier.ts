import { createPublicKey, type KeyObject } from 'node:crypto';
import { readFileSync } from 'node:fs';

import {
  calculateJwkThumbprint,
  createLocalJWKSet,
  createRemoteJWKSet,
  decodeProtectedHeader,
  exportJWK,
  jwtVerify,
  type JSONWebKeySet,
  type JWTPayload,
  type JWTVerifyGetKey,
} from 'jose';

import { isRole, type AuthUser } from './roles';

/** The two signature algorithms bank-crm accepts. Symmetric (HS*) and `none` never are. */
export const ACCEPTED_ALGORITHMS = ['RS256', 'ES256'] as const;

/** Longest Authorization token read; anything longer is refused before it is parsed. */
export const MAX_TOKEN_LENGTH = 8_192;

export interface AuthSettings {
  issuer: string;
  audience: string;
  /** A PEM SPKI public key, or a JWKS document (JSON). */
  publicKey?: string;
  /** A file holding a PEM SPKI public key or a JWKS document. */
  publicKeyFile?: string;
  /** The identity provider's JWKS endpoint. */
  jwksUrl?: string;
  clockSkewSeconds: number;
  /** Refuse tokens issued longer ago than this (0: no limit beyond `exp`). */
  maxTokenAgeSeconds?: number;
}

/** Why a token was refused: logged (never the token), never sent to the caller. */
export class InvalidTokenError extends Error {
  constructor(readonly reason: string) {
    super(`invalid token: ${reason}`);
    this.name = 'InvalidTokenError';
  }
}

export interface TokenVerifier {
  verify(token: string): Promise<AuthUser>;
}

const COMPACT_JWS = /^[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+$/;

function algorithmOf(key: KeyObject): (typeof ACCEPTED_ALGORITHMS)[number] {
  if (key.asymmetricKeyType === 'rsa') {
    const bits = key.asymmetricKeyDetails?.modulusLength ?? 0;
    if (bits < 2048) throw new Error(`the RSA public key has ${bits} bits; at least 2048 needed`);
    return 'RS256';
  }
  if (key.asymmetricKeyType === 'ec' && key.asymmetricKeyDetails?.namedCurve === 'prime256v1')
    return 'ES256';
  throw new Error(
    `unsupported public key type ${key.asymmetricKeyType ?? '?'}: RSA (RS256) or EC P-256 (ES256) only`,
  );
}

interface KeySource {
  getKey: JWTVerifyGetKey | KeyObject;
  algorithms: string[];
  /** For a single PEM key: its RFC 7638 thumbprint; a token naming another kid is refused. */
  kid?: string;
}

async function keySource(settings: AuthSettings): Promise<KeySource> {
  if (settings.jwksUrl) {
    const url = new URL(settings.jwksUrl);
    return {
      getKey: createRemoteJWKSet(url, { timeoutDuration: 5_000, cooldownDuration: 30_000 }),
      algorithms: [...ACCEPTED_ALGORITHMS],
    };
  }
  const text =
    settings.publicKey ??
    (settings.publicKeyFile ? readFileSync(settings.publicKeyFile, 'utf8') : undefined);
  if (!text)
    throw new Error('no token verification key: set JWT_PUBLIC_KEY(_FILE) or JWT_JWKS_URL');
  const trimmed = text.trim();
  if (trimmed.startsWith('{')) {
    const jwks = JSON.parse(trimmed) as JSONWebKeySet;
    if (!Array.isArray(jwks.keys) || jwks.keys.length === 0)
      throw new Error('the JWKS document has no keys');
    for (const jwk of jwks.keys) {
      if (jwk.kty === 'oct' || 'd' in jwk) throw new Error('the JWKS must hold public keys only');
    }
    return { getKey: createLocalJWKSet(jwks), algorithms: [...ACCEPTED_ALGORITHMS] };
  }
  // literal "\n" sequences (a PEM squeezed into one environment line) become newlines
  const key = createPublicKey(trimmed.replace(/\\n/g, '\n'));
  if (key.type !== 'public') throw new Error('JWT_PUBLIC_KEY must be a public key');
  const kid = await calculateJwkThumbprint(await exportJWK(key));
  return { getKey: key, algorithms: [algorithmOf(key)], kid };
}

/** Maps verified claims to the caller; refuses tokens that carry no usable identity or role. */
export function userFromClaims(payload: JWTPayload): AuthUser {
  const sub = payload.sub;
  if (typeof sub !== 'string' || sub.trim() === '' || sub.length > 256)
    throw new InvalidTokenError('sub missing or malformed');
  const claim = (payload as { roles?: unknown }).roles;
  if (!Array.isArray(claim)) throw new InvalidTokenError('roles claim is not an array');
  const roles = [...new Set(claim.filter(isRole))];
  if (roles.length === 0) throw new InvalidTokenError('no known role');
  return {
    id: sub,
    roles,
    ...(typeof payload.jti === 'string' && payload.jti ? { tokenId: payload.jti } : {}),
  };
}

/**
 * Verifies Bearer JWTs: signature (RS256/ES256 only) against the configured key or JWKS, then
 * issuer, audience, exp (required), nbf and iat with the allowed clock skew.
 */
export async function createTokenVerifier(settings: AuthSettings): Promise<TokenVerifier> {
  const source = await keySource(settings);
  return {
    async verify(token: string): Promise<AuthUser> {
      if (token.length > MAX_TOKEN_LENGTH) throw new InvalidTokenError('token too long');
      if (!COMPACT_JWS.test(token)) throw new InvalidTokenError('not a compact JWS');
      let header: ReturnType<typeof decodeProtectedHeader>;
      try {
        header = decodeProtectedHeader(token);
      } catch {
        throw new InvalidTokenError('malformed header');
      }
      if (!source.algorithms.includes(String(header.alg)))
        throw new InvalidTokenError(`algorithm ${String(header.alg)} not accepted`);
      if (header.crit !== undefined) throw new InvalidTokenError('crit header not supported');
      if (header.jku !== undefined || header.x5u !== undefined || header.jwk !== undefined)
        throw new InvalidTokenError('embedded or referenced keys are not trusted');
      if (source.kid && header.kid !== undefined && header.kid !== source.kid)
        throw new InvalidTokenError('unknown key id');
      try {
        const options = {
          algorithms: source.algorithms,
          issuer: settings.issuer,
          audience: settings.audience,
          clockTolerance: settings.clockSkewSeconds,
          requiredClaims: ['exp', 'sub'],
          ...(settings.maxTokenAgeSeconds ? { maxTokenAge: settings.maxTokenAgeSeconds } : {}),
        };
        const getKey = source.getKey;
        const { payload } =
          typeof getKey === 'function'
            ? await jwtVerify(token, getKey, options)
            : await jwtVerify(token, getKey, options);
        return userFromClaims(payload);
      } catch (error) {
        if (error instanceof InvalidTokenError) throw error;
        const code = (error as { code?: string }).code ?? 'ERR_UNKNOWN';
        throw new InvalidTokenError(code);
      }
    },
  };
}
