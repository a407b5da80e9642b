// npm run token -- --role <role>[,<role>...] --user <id> [--ttl <seconds>]
// Prints an access token signed with the local development key (.local/dev-keys, made by
// `npm run stack` or `npm run dev-keys`) that the services of the local stack accept:
//   curl -H "authorization: Bearer $(npm run -s token -- --role marketing --user mk-001)" ...
import * as path from 'node:path';

import { isRole, ROLES, type Role } from '@bank-crm/auth';
import { devKeysDir, ensureDevKeys, signDevToken } from '@bank-crm/testing';

function usage(message: string): never {
  process.stderr.write(
    `${message}\nusage: npm run token -- --role <${ROLES.join('|')}>[,...] --user <id> [--ttl <seconds>] [--issuer <iss>] [--audience <aud>]\n`,
  );
  process.exit(2);
}

async function main(): Promise<void> {
  const roles: Role[] = [];
  let user: string | undefined;
  let ttl = 3600;
  let issuer: string | undefined;
  let audience: string | undefined;
  const argv = process.argv.slice(2);
  for (let i = 0; i < argv.length; i += 1) {
    const [flag, inline] = argv[i].split('=', 2);
    const value = () => inline ?? argv[++i] ?? usage(`${flag} needs a value`);
    switch (flag) {
      case '--role':
      case '--roles':
        for (const r of value().split(',')) {
          if (!isRole(r)) usage(`unknown role ${r}`);
          roles.push(r);
        }
        break;
      case '--user':
        user = value();
        break;
      case '--ttl':
        ttl = Number(value());
        if (!Number.isInteger(ttl) || ttl < 1 || ttl > 86_400) usage('--ttl: 1..86400 seconds');
        break;
      case '--issuer':
        issuer = value();
        break;
      case '--audience':
        audience = value();
        break;
      default:
        usage(`unknown argument ${argv[i]}`);
    }
  }
  if (roles.length === 0) usage('give --role');
  if (!user) usage('give --user');
  const dir = devKeysDir(path.resolve(__dirname, '..'));
  await ensureDevKeys(dir);
  process.stdout.write(
    `${await signDevToken(dir, { roles, user, ttlSeconds: ttl, issuer, audience })}\n`,
  );
}

void main().catch((error: unknown) => {
  process.stderr.write(`token failed: ${(error as Error).message}\n`);
  process.exit(1);
});
