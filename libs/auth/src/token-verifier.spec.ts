import { createHmac, generateKeyPairSync } from 'node:crypto';

import { base64url, exportJWK, exportSPKI, generateKeyPair, SignJWT, type KeyLike } from 'jose';

import {
  createTokenVerifier,
  InvalidTokenError,
  MAX_TOKEN_LENGTH,
  type TokenVerifier,
} from './token-verifier';

const ISS = 'test-issuer';
const AUD = 'bank-crm';

async function reason(verifier: TokenVerifier, token: string): Promise<string> {
  try {
    await verifier.verify(token);
  } catch (error) {
    expect(error).toBeInstanceOf(InvalidTokenError);
    return (error as InvalidTokenError).reason;
  }
  throw new Error('the token was accepted');
}

describe('createTokenVerifier', () => {
  let privateKey: KeyLike;
  let publicPem: string;
  let verifier: TokenVerifier;

  const sign = (
    claims: Record<string, unknown>,
    opts: {
      kid?: string;
      key?: KeyLike;
      alg?: string;
      exp?: number;
      nbf?: number;
      iss?: string;
      aud?: string;
    } = {},
  ) => {
    const now = Math.floor(Date.now() / 1000);
    const jwt = new SignJWT(claims)
      .setProtectedHeader({ alg: opts.alg ?? 'ES256', ...(opts.kid ? { kid: opts.kid } : {}) })
      .setIssuer(opts.iss ?? ISS)
      .setAudience(opts.aud ?? AUD)
      .setIssuedAt()
      .setExpirationTime(now + (opts.exp ?? 300));
    if (opts.nbf !== undefined) jwt.setNotBefore(now + opts.nbf);
    return jwt.sign(opts.key ?? privateKey);
  };

  beforeAll(async () => {
    const pair = await generateKeyPair('ES256', { extractable: true });
    privateKey = pair.privateKey;
    publicPem = await exportSPKI(pair.publicKey);
    verifier = await createTokenVerifier({
      issuer: ISS,
      audience: AUD,
      publicKey: publicPem,
      clockSkewSeconds: 30,
    });
  });

  it('accepts a valid token and maps sub, known roles and jti', async () => {
    const token = await sign({
      sub: 'rm-001',
      roles: ['relationship-manager', 'root'],
      jti: 't-1',
    });
    await expect(verifier.verify(token)).resolves.toEqual({
      id: 'rm-001',
      roles: ['relationship-manager'],
      tokenId: 't-1',
    });
  });

  it.each([
    [
      'alg none',
      async () =>
        `${base64url.encode('{"alg":"none"}')}.${base64url.encode('{"sub":"x","roles":["admin"]}')}.`,
      /not a compact JWS/,
    ],
    [
      'HS256 with the public key as secret',
      async () => {
        const input = `${base64url.encode('{"alg":"HS256"}')}.${base64url.encode(JSON.stringify({ sub: 'x', roles: ['admin'], iss: ISS, aud: AUD, exp: 9e9 }))}`;
        return `${input}.${createHmac('sha256', publicPem).update(input).digest('base64url')}`;
      },
      /algorithm HS256 not accepted/,
    ],
    [
      'an unknown kid',
      async () => sign({ sub: 'x', roles: ['admin'] }, { kid: 'other' }),
      /unknown key id/,
    ],
    [
      'a wrong issuer',
      async () => sign({ sub: 'x', roles: ['admin'] }, { iss: 'evil' }),
      /ERR_JWT_CLAIM_VALIDATION_FAILED/,
    ],
    [
      'a wrong audience',
      async () => sign({ sub: 'x', roles: ['admin'] }, { aud: 'evil' }),
      /ERR_JWT_CLAIM_VALIDATION_FAILED/,
    ],
    [
      'an expired token',
      async () => sign({ sub: 'x', roles: ['admin'] }, { exp: -120 }),
      /ERR_JWT_EXPIRED/,
    ],
    [
      'nbf beyond the skew',
      async () => sign({ sub: 'x', roles: ['admin'] }, { nbf: 120 }),
      /ERR_JWT_CLAIM_VALIDATION_FAILED/,
    ],
    ['no sub', async () => sign({ roles: ['admin'] }), /ERR_JWT_CLAIM_VALIDATION_FAILED|sub/],
    [
      'roles not an array',
      async () => sign({ sub: 'x', roles: 'admin' }),
      /roles claim is not an array/,
    ],
    ['unknown roles only', async () => sign({ sub: 'x', roles: ['root'] }), /no known role/],
    [
      'another key',
      async () =>
        sign({ sub: 'x', roles: ['admin'] }, { key: (await generateKeyPair('ES256')).privateKey }),
      /ERR_JWS_SIGNATURE_VERIFICATION_FAILED/,
    ],
    ['an oversized token', async () => 'a'.repeat(MAX_TOKEN_LENGTH + 1), /too long/],
  ])('refuses %s', async (_name, make, expected) => {
    expect(await reason(verifier, await make())).toMatch(expected);
  });

  it('accepts RS256 with an RSA key and a JWKS document of public keys', async () => {
    const rsa = await generateKeyPair('RS256', { extractable: true });
    const jwk = { ...(await exportJWK(rsa.publicKey)), kid: 'k1', alg: 'RS256' };
    const v = await createTokenVerifier({
      issuer: ISS,
      audience: AUD,
      publicKey: JSON.stringify({ keys: [jwk] }),
      clockSkewSeconds: 0,
    });
    const token = await sign(
      { sub: 'x', roles: ['auditor'] },
      { key: rsa.privateKey, alg: 'RS256', kid: 'k1' },
    );
    await expect(v.verify(token)).resolves.toMatchObject({ id: 'x', roles: ['auditor'] });
    expect(
      await reason(
        v,
        await sign(
          { sub: 'x', roles: ['auditor'] },
          { key: rsa.privateKey, alg: 'RS256', kid: 'k2' },
        ),
      ),
    ).toMatch(/ERR_JWKS_NO_MATCHING_KEY/);
  });

  it('refuses weak or unsuitable keys at start-up', async () => {
    const weak = generateKeyPairSync('rsa', { modulusLength: 1024 })
      .publicKey.export({ type: 'spki', format: 'pem' })
      .toString();
    await expect(
      createTokenVerifier({ issuer: ISS, audience: AUD, publicKey: weak, clockSkewSeconds: 0 }),
    ).rejects.toThrow(/2048/);
    const ed = generateKeyPairSync('ed25519')
      .publicKey.export({ type: 'spki', format: 'pem' })
      .toString();
    await expect(
      createTokenVerifier({ issuer: ISS, audience: AUD, publicKey: ed, clockSkewSeconds: 0 }),
    ).rejects.toThrow(/unsupported/);
    const priv = await exportJWK(
      (await generateKeyPair('ES256', { extractable: true })).privateKey,
    );
    await expect(
      createTokenVerifier({
        issuer: ISS,
        audience: AUD,
        publicKey: JSON.stringify({ keys: [priv] }),
        clockSkewSeconds: 0,
      }),
    ).rejects.toThrow(/public keys only/);
    await expect(
      createTokenVerifier({ issuer: ISS, audience: AUD, clockSkewSeconds: 0 }),
    ).rejects.toThrow(/no token verification key/);
  });
});
