import { spawn, spawnSync } from 'node:child_process';
import { once } from 'node:events';
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';

import { allTopics } from '@bank-crm/contracts';
import { createKafka, ensureTopics } from '@bank-crm/messaging';

/**
 * A private single-node Kafka broker for this bench process (scripts/kafka/kafka.sh with its own
 * state directory and ports, the jars of the shared broker), with every contract topic created.
 * The shared broker on 9092 carries other users' events, which the service would consume while
 * it is supposed to be idle or serving reads only. Started once per process (the first run pays
 * the ~15 s), stopped and deleted when the process exits.
 */
const ROOT = resolve(__dirname, '../..');
const SCRIPT = join(ROOT, 'scripts', 'kafka', 'kafka.sh');

export function freePort(): Promise<number> {
  return new Promise((done, fail) => {
    const s = createServer();
    s.once('error', fail);
    s.listen(0, '127.0.0.1', () => {
      const { port } = s.address() as { port: number };
      s.close(() => done(port));
    });
  });
}

let started: Promise<string> | undefined;

/** host:port of the private broker, starting it on first use. */
export function privateBroker(progress: (m: string) => void): Promise<string> {
  started ??= start(progress);
  return started;
}

async function start(progress: (m: string) => void): Promise<string> {
  const home = mkdtempSync(join(tmpdir(), 'bench-kafka-'));
  const port = await freePort();
  let controllerPort = await freePort();
  while (controllerPort === port) controllerPort = await freePort();
  const env = {
    ...process.env,
    KAFKA_HOME_DIR: home,
    KAFKA_LIBS_DIR: process.env.KAFKA_LIBS_DIR ?? join(ROOT, '.local', 'kafka', 'libs'),
    KAFKA_PORT: String(port),
    KAFKA_CONTROLLER_PORT: String(controllerPort),
    KAFKA_HEAP_OPTS: '-Xms256m -Xmx256m',
  };
  const stop = () => {
    spawnSync('bash', [SCRIPT, 'stop'], { env, stdio: 'ignore', timeout: 90_000 });
    rmSync(home, { recursive: true, force: true });
  };
  process.once('exit', stop);
  for (const signal of ['SIGINT', 'SIGTERM'] as const) {
    process.once(signal, () => {
      stop();
      process.exit(130);
    });
  }
  progress(`starting a private Kafka broker on 127.0.0.1:${port}`);
  const child = spawn('bash', [SCRIPT, 'start'], { env, stdio: ['ignore', 'pipe', 'pipe'] });
  let output = '';
  child.stdout.setEncoding('utf8').on('data', (d: string) => (output += d));
  child.stderr.setEncoding('utf8').on('data', (d: string) => (output += d));
  const [code] = (await once(child, 'exit')) as [number | null];
  if (code !== 0) throw new Error(`private Kafka broker did not start (${code}): ${output}`);
  const brokers = `127.0.0.1:${port}`;
  await ensureTopics(createKafka({ brokers: [brokers], clientId: 'bench-360' }), allTopics());
  return brokers;
}
