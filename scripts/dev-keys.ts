// npm run dev-keys: creates the local development key pair in .local/dev-keys (git-ignored)
// unless it exists, and prints the public key file to give services as JWT_PUBLIC_KEY_FILE.
import * as path from 'node:path';

import { devKeysDir, ensureDevKeys } from '@bank-crm/testing';

async function main(): Promise<void> {
  const root = path.resolve(__dirname, '..');
  const { created, publicKeyFile } = await ensureDevKeys(devKeysDir(root));
  process.stderr.write(
    `${created ? 'created' : 'kept'} the development key pair in ${path.dirname(publicKeyFile)}\n`,
  );
  process.stdout.write(`${publicKeyFile}\n`);
}

void main().catch((error: unknown) => {
  process.stderr.write(`dev-keys failed: ${(error as Error).message}\n`);
  process.exit(1);
});
