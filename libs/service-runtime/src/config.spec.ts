import { baseConfigSchema, ConfigError, loadConfig } from './config';

const schema = baseConfigSchema('marketing', 3003);
const base = {
  DATABASE_URL: 'postgres://u@h:5432/bank_crm_marketing',
  KAFKA_BROKERS: 'k:9092',
};

function problems(env: Record<string, string>): string[] {
  try {
    loadConfig(schema, env);
    return [];
  } catch (error) {
    expect(error).toBeInstanceOf(ConfigError);
    return (error as ConfigError).problems;
  }
}

describe('security configuration', () => {
  it('needs exactly one token key source', () => {
    expect(problems(base)).toEqual([
      'one of JWT_PUBLIC_KEY, JWT_PUBLIC_KEY_FILE or JWT_JWKS_URL is required',
    ]);
    expect(
      problems({ ...base, JWT_PUBLIC_KEY: 'pem', JWT_JWKS_URL: 'https://idp/jwks' })[0],
    ).toMatch(/only one token key source/);
    expect(problems({ ...base, JWT_PUBLIC_KEY_FILE: '/keys/public.pem' })).toEqual([]);
  });

  it('has safe defaults: dev issuer outside production, skew 30 s, no CORS', () => {
    const c = loadConfig(schema, { ...base, JWT_JWKS_URL: 'http://127.0.0.1:9/jwks' });
    expect(c).toMatchObject({
      JWT_ISSUER: 'bank-crm-dev',
      JWT_AUDIENCE: 'bank-crm',
      JWT_CLOCK_SKEW_SECONDS: 30,
      CORS_ALLOWED_ORIGINS: '',
      RATE_LIMIT_EXPENSIVE_PER_MINUTE: 60,
    });
  });

  it('refuses every development shortcut in production', () => {
    const found = problems({
      ...base,
      NODE_ENV: 'production',
      JWT_PUBLIC_KEY_FILE: '/app/.local/dev-keys/public.pem',
      CORS_ALLOWED_ORIGINS: 'http://crm.bank.example',
    });
    expect(found).toEqual(
      expect.arrayContaining([
        expect.stringMatching(/JWT_ISSUER must be set in production/),
        expect.stringMatching(/must not be the development key/),
        expect.stringMatching(/must be https in production/),
      ]),
    );
    expect(
      problems({
        ...base,
        NODE_ENV: 'production',
        JWT_ISSUER: 'https://idp.bank.example',
        JWT_JWKS_URL: 'http://idp.bank.example/jwks',
      }),
    ).toEqual(['JWT_JWKS_URL must be https in production']);
    expect(
      problems({
        ...base,
        NODE_ENV: 'production',
        JWT_ISSUER: 'https://idp.bank.example',
        JWT_JWKS_URL: 'https://idp.bank.example/jwks',
        CORS_ALLOWED_ORIGINS: 'https://crm.bank.example',
      }),
    ).toEqual([]);
  });

  it('accepts only origins as CORS entries (no wildcard, no paths)', () => {
    for (const bad of [
      '*',
      'https://*.bank.example',
      'https://crm.bank.example/app',
      'crm.bank.example',
    ])
      expect(problems({ ...base, JWT_PUBLIC_KEY: 'pem', CORS_ALLOWED_ORIGINS: bad })[0]).toMatch(
        /is not an origin/,
      );
  });
});
