/**
 * Writes the generated event contract documents (docs/contracts) from libs/contracts.
 *
 *   npm run contracts:docs                          write the documents
 *   npm run contracts:docs -- --accept-new-topics   also publish the schema snapshot of every topic
 *                                                   that has none yet (never overwrites one)
 *   npm run contracts:docs -- --check               write nothing; exit 1 when out of date
 */
import { existsSync, mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';

import { format, resolveConfig } from 'prettier';

import {
  ACCEPT_NEW_TOPICS_COMMAND,
  DOCS_COMMAND,
  PUBLISHED_DIR,
  snapshotsToAccept,
} from '../libs/contracts/src/compatibility/published';
import { DOCS_DIR, generateDocs } from '../libs/contracts/src/docs/generate-docs';
import { EVENT_DEFINITIONS } from '../libs/contracts/src/registry';

const ROOT = path.resolve(__dirname, '..');
const USAGE = 'usage: contracts-docs [--accept-new-topics] [--check]';

function say(line: string): void {
  process.stdout.write(`${line}\n`);
}

/** Every file under a repository-relative directory, as repository-relative posix paths. */
function filesUnder(dir: string): string[] {
  const absolute = path.join(ROOT, dir);
  if (!existsSync(absolute)) return [];
  return readdirSync(absolute, { recursive: true, withFileTypes: true })
    .filter((entry) => entry.isFile())
    .map((entry) =>
      path.relative(ROOT, path.join(entry.parentPath, entry.name)).split(path.sep).join('/'),
    );
}

function readOrNull(relative: string): string | null {
  const absolute = path.join(ROOT, relative);
  return existsSync(absolute) ? readFileSync(absolute, 'utf8') : null;
}

function write(relative: string, content: string): void {
  const absolute = path.join(ROOT, relative);
  mkdirSync(path.dirname(absolute), { recursive: true });
  writeFileSync(absolute, content);
}

async function acceptNewTopics(check: boolean): Promise<number> {
  const published = new Set(
    filesUnder(PUBLISHED_DIR)
      .filter((file) => file.endsWith('.json'))
      .map((file) => path.posix.basename(file, '.json')),
  );
  const snapshots = snapshotsToAccept(EVENT_DEFINITIONS, published);
  for (const [relative, schema] of Object.entries(snapshots)) {
    if (check) {
      say(`missing snapshot ${relative}`);
      continue;
    }
    const absolute = path.join(ROOT, relative);
    const options = (await resolveConfig(absolute)) ?? {};
    // the snapshots are not in .prettierignore: write them the way prettier would
    write(relative, await format(JSON.stringify(schema), { ...options, filepath: absolute }));
    say(`published ${relative}`);
  }
  return Object.keys(snapshots).length;
}

async function main(): Promise<void> {
  const args = process.argv.slice(2);
  const unknown = args.filter((a) => a !== '--accept-new-topics' && a !== '--check');
  if (unknown.length > 0) throw new Error(`unknown argument ${unknown.join(' ')}\n${USAGE}`);
  const check = args.includes('--check');
  const accept = args.includes('--accept-new-topics');

  const files = generateDocs();
  const changed = Object.keys(files).filter((file) => readOrNull(file) !== files[file]);
  const stale = filesUnder(DOCS_DIR).filter((file) => !(file in files));

  if (check) {
    for (const file of changed) say(`out of date: ${file}`);
    for (const file of stale) say(`stale: ${file}`);
    const missing = accept ? await acceptNewTopics(true) : 0;
    if (changed.length + stale.length + missing > 0) {
      say(`run \`${accept ? ACCEPT_NEW_TOPICS_COMMAND : DOCS_COMMAND}\` and commit the result`);
      process.exitCode = 1;
    } else {
      say(`${DOCS_DIR} is up to date`);
    }
    return;
  }

  for (const file of changed) {
    write(file, files[file]);
    say(`wrote ${file}`);
  }
  for (const file of stale) {
    rmSync(path.join(ROOT, file));
    say(`removed ${file}`);
  }
  if (changed.length + stale.length === 0) say(`${DOCS_DIR} is up to date`);

  if (accept) {
    if ((await acceptNewTopics(false)) === 0) say('every topic already has a published snapshot');
  } else {
    const published = new Set(filesUnder(PUBLISHED_DIR));
    const unpublished = Object.keys(snapshotsToAccept(EVENT_DEFINITIONS, new Set())).filter(
      (file) => !published.has(file),
    );
    if (unpublished.length > 0) {
      say(
        `not published yet: ${unpublished.join(', ')}\n` +
          `run \`${ACCEPT_NEW_TOPICS_COMMAND}\` once the new topic's schema is final`,
      );
    }
  }
}

main().catch((error: unknown) => {
  process.stderr.write(`${error instanceof Error ? error.message : String(error)}\n`);
  process.exitCode = 1;
});
