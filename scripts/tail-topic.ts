import { parseArgs } from 'node:util';

import { createKafka } from '@bank-crm/messaging';

/**
 * `npm run kafka:tail -- <topic> [--from-beginning] [--limit N]`: prints a topic's messages as
 * JSON lines (key, headers, value), for looking at events while the stack runs.
 */
async function main(): Promise<void> {
  const { values, positionals } = parseArgs({
    allowPositionals: true,
    options: {
      'from-beginning': { type: 'boolean', default: false },
      limit: { type: 'string' },
      brokers: { type: 'string', default: process.env.KAFKA_BROKERS ?? '127.0.0.1:9092' },
    },
  });
  const topic = positionals[0];
  if (!topic)
    throw new Error('usage: npm run kafka:tail -- <topic> [--from-beginning] [--limit N]');
  const limit = values.limit ? Number(values.limit) : Infinity;
  const kafka = createKafka({ brokers: values.brokers.split(','), clientId: 'kafka-tail' });
  const consumer = kafka.consumer({ groupId: `kafka-tail-${process.pid}-${Date.now()}` });
  await consumer.connect();
  await consumer.subscribe({ topics: [topic], fromBeginning: values['from-beginning'] });
  let seen = 0;
  const stop = async () => {
    await consumer.disconnect();
    process.exit(0);
  };
  process.once('SIGINT', () => void stop());
  await consumer.run({
    eachMessage: async ({ partition, message }) => {
      let value: unknown = message.value?.toString('utf8') ?? null;
      try {
        value = JSON.parse(String(value));
      } catch {
        // not JSON: print as text
      }
      process.stdout.write(
        `${JSON.stringify({ partition, offset: message.offset, key: message.key?.toString('utf8') ?? null, value })}\n`,
      );
      seen += 1;
      if (seen >= limit) await stop();
    },
  });
}

main().catch((error: unknown) => {
  process.stderr.write(`kafka:tail: ${(error as Error).message}\n`);
  process.exit(1);
});
