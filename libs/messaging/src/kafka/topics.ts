import type { Kafka } from 'kafkajs';

export interface TopicToCreate {
  topic: string;
  partitions: number;
}

/**
 * Creates the topics that do not exist yet with their partition counts. Existing topics are left
 * as they are (a partition count is never changed silently); returns the topics created.
 */
export async function ensureTopics(
  kafka: Kafka,
  topics: TopicToCreate[],
  replicationFactor = 1,
): Promise<string[]> {
  const admin = kafka.admin();
  await admin.connect();
  try {
    const existing = new Set(await admin.listTopics());
    const missing = topics.filter((t) => !existing.has(t.topic));
    if (missing.length === 0) return [];
    await admin.createTopics({
      waitForLeaders: true,
      topics: missing.map((t) => ({
        topic: t.topic,
        numPartitions: t.partitions,
        replicationFactor,
      })),
    });
    return missing.map((t) => t.topic);
  } finally {
    await admin.disconnect();
  }
}
