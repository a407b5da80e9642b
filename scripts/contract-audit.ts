import { parseArgs } from 'node:util';

import { describeErrors, EVENT_DEFINITIONS, validateEnvelope } from '@bank-crm/contracts';
import { createKafka } from '@bank-crm/messaging';

/**
 * Reads every contract topic (from --since, default the beginning) and validates each message
 * against its contract: after the test suites have run, every event produced anywhere must pass.
 * `npm test` runs it over the events its own run produced.
 */
async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      brokers: { type: 'string', default: process.env.KAFKA_BROKERS ?? '127.0.0.1:9092' },
      since: { type: 'string' },
    },
  });
  const since = values.since ? Date.parse(values.since) : 0;
  if (Number.isNaN(since)) throw new Error(`--since is not a date: ${values.since}`);
  const kafka = createKafka({ brokers: values.brokers.split(','), clientId: 'contract-audit' });
  const admin = kafka.admin();
  await admin.connect();
  const existing = new Set(await admin.listTopics());
  let total = 0;
  const problems: string[] = [];
  try {
    for (const definition of EVENT_DEFINITIONS) {
      if (!existing.has(definition.topic)) continue;
      const ends = await admin.fetchTopicOffsets(definition.topic);
      const starts = since
        ? await admin.fetchTopicOffsetsByTimestamp(definition.topic, since)
        : ends.map((e) => ({ partition: e.partition, offset: e.low }));
      const remaining = new Map<number, bigint>();
      for (const end of ends) {
        const start = BigInt(starts.find((s) => s.partition === end.partition)?.offset ?? end.high);
        const last = BigInt(end.high) - 1n;
        if (start <= last && BigInt(start) >= BigInt(end.low)) remaining.set(end.partition, last);
      }
      if (remaining.size === 0) continue;
      let count = 0;
      const consumer = kafka.consumer({
        groupId: `contract-audit-${Date.now()}-${Math.random()}`,
        maxWaitTimeInMs: 200,
      });
      await consumer.connect();
      await consumer.subscribe({ topics: [definition.topic], fromBeginning: true });
      await new Promise<void>((resolve, reject) => {
        const timer = setTimeout(
          () => reject(new Error(`timed out reading ${definition.topic}`)),
          120_000,
        );
        consumer
          .run({
            eachMessage: async ({ partition, message }) => {
              const last = remaining.get(partition);
              if (last === undefined) return;
              count += 1;
              let parsed: unknown;
              try {
                parsed = JSON.parse(message.value?.toString('utf8') ?? '');
              } catch {
                parsed = undefined;
              }
              const result = validateEnvelope(definition, parsed);
              if (!result.ok) {
                problems.push(
                  `${definition.topic}[${partition}]@${message.offset}: ${describeErrors(result.errors)}`,
                );
              }
              if (BigInt(message.offset) >= last) remaining.delete(partition);
              if (remaining.size === 0) {
                clearTimeout(timer);
                resolve();
              }
              return Promise.resolve();
            },
          })
          .then(() => {
            for (const [partition] of remaining) {
              const start = starts.find((s) => s.partition === partition)?.offset;
              if (start !== undefined)
                consumer.seek({ topic: definition.topic, partition, offset: start });
            }
          })
          .catch(reject);
      });
      await consumer.disconnect();
      total += count;
      process.stderr.write(`${definition.topic}: ${count} messages checked\n`);
    }
  } finally {
    await admin.disconnect();
  }
  process.stdout.write(
    `${JSON.stringify({ report: 'contract-audit', messages: total, invalid: problems.length })}\n`,
  );
  if (problems.length) {
    process.stderr.write(`${problems.slice(0, 50).join('\n')}\n`);
    process.exit(1);
  }
}

main().catch((error: unknown) => {
  process.stderr.write(`contract audit failed: ${(error as Error).message}\n`);
  process.exit(1);
});
