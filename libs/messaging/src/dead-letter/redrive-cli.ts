import { deadLetterTopicFor, SERVICE_NAMES, type ServiceName } from '@bank-crm/contracts';

import { createKafka, type LogSink } from '../kafka/kafka-factory';
import { redriveDeadLetters, redriveGroupId, type RedriveSummary } from './redrive';

export const REDRIVE_USAGE = `Re-drives dead letters of a service to their original topics.

Usage: npm run dlq:redrive -- --service <service> [options]

  --service <name>            ${SERVICE_NAMES.join(' | ')}
  --restricted                re-drive the restricted dead-letter topic (the dead letters of
                              restricted topics, which carry unmasked personal data) instead
  --original-topic <topic>    only dead letters of this original topic
  --reason <reason>           only dead letters of this reason: unparseable | invalid | handler-failed
  --dry-run                   list what would be done; publish nothing, move no offset
  --limit <n>                 stop after re-driving n dead letters
  --brokers <host:port,...>   default: $KAFKA_BROKERS or 127.0.0.1:9092
  --dead-letter-topic <topic> default: <service>.message.dead-lettered.v1, with --restricted
                              <service>.message.dead-lettered-restricted.v1
  --group <id>                default: bank-crm.<service>.dlq-redrive (re-drives only), with
                              --restricted bank-crm.<service>.dlq-redrive-restricted
  --idle-timeout-ms <ms>      give up when nothing arrives for this long (default 20000)
  -h, --help

Dead letters that do not match the filters are moved to the end of the dead-letter topic, so a
later run still finds them. Exit code: 0 done, 1 failed or incomplete, 2 bad arguments.`;

export class UsageError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'UsageError';
  }
}

export interface RedriveCliOptions {
  service: ServiceName;
  /** The restricted dead-letter topic (and its own re-drive group) is the default. */
  restricted?: true;
  originalTopic?: string;
  reason?: string;
  dryRun: boolean;
  limit?: number;
  brokers: string[];
  deadLetterTopic: string;
  groupId: string;
  idleTimeoutMs?: number;
}

const REASONS = ['unparseable', 'invalid', 'handler-failed'];

function positiveInteger(flag: string, value: string): number {
  if (!/^[1-9][0-9]*$/.test(value))
    throw new UsageError(`${flag} needs a positive integer, got "${value}"`);
  return Number(value);
}

/** Parses the command line; `null` means help was asked for. */
export function parseRedriveArgs(
  argv: readonly string[],
  env: NodeJS.ProcessEnv = process.env,
): RedriveCliOptions | null {
  const values = new Map<string, string>();
  let dryRun = false;
  let restricted = false;
  const valued = new Set([
    '--service',
    '--original-topic',
    '--reason',
    '--limit',
    '--brokers',
    '--dead-letter-topic',
    '--group',
    '--idle-timeout-ms',
  ]);
  for (let i = 0; i < argv.length; i += 1) {
    const arg = argv[i];
    if (arg === '-h' || arg === '--help') return null;
    if (arg === '--dry-run') {
      dryRun = true;
      continue;
    }
    if (arg === '--restricted') {
      restricted = true;
      continue;
    }
    const eq = arg.indexOf('=');
    const flag = eq > 0 ? arg.slice(0, eq) : arg;
    if (!valued.has(flag)) throw new UsageError(`unknown argument "${arg}"`);
    const value = eq > 0 ? arg.slice(eq + 1) : argv[(i += 1)];
    if (value === undefined || value === '' || (eq < 0 && value.startsWith('--'))) {
      throw new UsageError(`${flag} needs a value`);
    }
    if (values.has(flag)) throw new UsageError(`${flag} given twice`);
    values.set(flag, value);
  }
  const service = values.get('--service');
  if (!service) throw new UsageError('--service is required');
  if (!(SERVICE_NAMES as readonly string[]).includes(service)) {
    throw new UsageError(`unknown service "${service}" (${SERVICE_NAMES.join(', ')})`);
  }
  const reason = values.get('--reason');
  if (reason !== undefined && !REASONS.includes(reason)) {
    throw new UsageError(`unknown reason "${reason}" (${REASONS.join(', ')})`);
  }
  const limit = values.get('--limit');
  const idle = values.get('--idle-timeout-ms');
  const brokers = (values.get('--brokers') ?? env.KAFKA_BROKERS ?? '127.0.0.1:9092')
    .split(',')
    .map((b) => b.trim())
    .filter(Boolean);
  for (const broker of brokers) {
    if (!/^[^:\s]+:[0-9]+$/.test(broker))
      throw new UsageError(`bad broker "${broker}" (host:port)`);
  }
  const name = service as ServiceName;
  return {
    service: name,
    ...(restricted ? { restricted: true as const } : {}),
    ...(values.has('--original-topic') ? { originalTopic: values.get('--original-topic') } : {}),
    ...(reason !== undefined ? { reason } : {}),
    dryRun,
    ...(limit !== undefined ? { limit: positiveInteger('--limit', limit) } : {}),
    brokers,
    deadLetterTopic: values.get('--dead-letter-topic') ?? deadLetterTopicFor(name, restricted),
    groupId: values.get('--group') ?? redriveGroupId(name, restricted),
    ...(idle !== undefined ? { idleTimeoutMs: positiveInteger('--idle-timeout-ms', idle) } : {}),
  };
}

export function formatSummary(summary: RedriveSummary): string {
  const verb = summary.dryRun ? 'would re-drive' : 're-driven';
  const topics = Object.entries(summary.byTopic)
    .map(([topic, n]) => `${topic}: ${n}`)
    .join(', ');
  return [
    `${summary.dryRun ? 'DRY RUN: ' : ''}${summary.examined} examined, ${summary.redriven} ${verb}, ` +
      `${summary.requeued} ${summary.dryRun ? 'would be moved' : 'moved'} to the end (filters), ` +
      `${summary.unroutable} not re-drivable${topics ? ` [${topics}]` : ''}` +
      `${summary.complete ? '' : ` - INCOMPLETE: ${summary.error ?? 'stopped early'}`}`,
    JSON.stringify(summary),
  ].join('\n');
}

export interface CliIo {
  out: (text: string) => void;
  err: (text: string) => void;
}

const stdio: CliIo = {
  out: (text) => process.stdout.write(`${text}\n`),
  err: (text) => process.stderr.write(`${text}\n`),
};

/** `scripts/dlq-redrive.ts`: parses, re-drives, prints progress and a summary; the exit code. */
export async function runRedriveCli(
  argv: readonly string[],
  io: CliIo = stdio,
  env: NodeJS.ProcessEnv = process.env,
): Promise<number> {
  let options: RedriveCliOptions | null;
  try {
    options = parseRedriveArgs(argv, env);
  } catch (error) {
    io.err(`dlq:redrive: ${(error as Error).message}\n\n${REDRIVE_USAGE}`);
    return 2;
  }
  if (!options) {
    io.out(REDRIVE_USAGE);
    return 0;
  }
  const sink: LogSink = {
    log: () => undefined,
    warn: (message) => io.err(`kafka: ${message}`),
    error: (message) => io.err(`kafka: ${message}`),
  };
  const kafka = createKafka(
    { brokers: options.brokers, clientId: `${options.service}-dlq-redrive` },
    sink,
  );
  const filters = [
    options.originalTopic ? `original topic ${options.originalTopic}` : '',
    options.reason ? `reason ${options.reason}` : '',
  ].filter(Boolean);
  io.out(
    `${options.dryRun ? 'DRY RUN: ' : ''}re-driving ${options.deadLetterTopic} as ${options.groupId}` +
      `${filters.length ? ` (only ${filters.join(', ')})` : ''}` +
      `${options.limit ? `, at most ${options.limit}` : ''}`,
  );
  try {
    const summary = await redriveDeadLetters({
      kafka,
      deadLetterTopic: options.deadLetterTopic,
      groupId: options.groupId,
      ...(options.originalTopic !== undefined ? { originalTopic: options.originalTopic } : {}),
      ...(options.reason !== undefined ? { reason: options.reason } : {}),
      dryRun: options.dryRun,
      ...(options.limit !== undefined ? { limit: options.limit } : {}),
      ...(options.idleTimeoutMs !== undefined ? { idleTimeoutMs: options.idleTimeoutMs } : {}),
      onProgress: io.out,
    });
    io.out(formatSummary(summary));
    return summary.complete ? 0 : 1;
  } catch (error) {
    io.err(`dlq:redrive failed: ${(error as Error).message}`);
    return 1;
  }
}
