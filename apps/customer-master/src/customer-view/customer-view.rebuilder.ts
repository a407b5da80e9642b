import { randomUUID } from 'node:crypto';

import { SYSTEM_SCOPE, withDataScope } from '@bank-crm/auth';
import { eventDefinitionForTopic, validateEnvelope } from '@bank-crm/contracts';
import { createKafka, nestLogSink } from '@bank-crm/messaging';
import { SERVICE_CONFIG } from '@bank-crm/service-runtime';
import { Inject, Injectable, Logger } from '@nestjs/common';
import { DataSource } from 'typeorm';

import type { CustomerMasterConfig } from '../config/customer-master.config';
import { CUSTOMER_VIEW_TABLES } from '../migrations/1764300003000-customer-view';
import { CustomerViewProjector } from './customer-view.projector';

export interface RebuildResult {
  topics: string[];
  applied: number;
  skippedInvalid: number;
}

/**
 * Rebuilds the customer view from the topics alone: empties the view tables, then reads every
 * view topic from the beginning up to its end offsets at the start (a throw-away consumer group)
 * and applies each event through the same projector as live events. Live events applied during
 * the rebuild are kept: the part handlers are order-independent and idempotent.
 */
@Injectable()
export class CustomerViewRebuilder {
  private readonly logger = new Logger(CustomerViewRebuilder.name);

  constructor(
    private readonly dataSource: DataSource,
    private readonly projector: CustomerViewProjector,
    @Inject(SERVICE_CONFIG) private readonly config: CustomerMasterConfig,
  ) {}

  async rebuild(): Promise<RebuildResult> {
    const topics = this.projector.topics();
    const kafka = createKafka(
      {
        brokers: this.config.KAFKA_BROKERS.split(','),
        clientId: `${this.config.KAFKA_CLIENT_ID}-view-rebuild`,
      },
      nestLogSink,
    );
    const admin = kafka.admin();
    await admin.connect();
    const remaining = new Map<string, bigint>();
    const groupId = `${this.config.KAFKA_GROUP_ID}.view-rebuild.${randomUUID()}`;
    try {
      for (const topic of topics) {
        for (const p of await admin.fetchTopicOffsets(topic)) {
          if (BigInt(p.high) > BigInt(p.low))
            remaining.set(`${topic}:${p.partition}`, BigInt(p.high));
        }
      }
      await this.dataSource.query(`TRUNCATE ${CUSTOMER_VIEW_TABLES.join(', ')}`);
      const result: RebuildResult = { topics, applied: 0, skippedInvalid: 0 };
      if (remaining.size === 0) return result;

      const consumer = kafka.consumer({ groupId, maxWaitTimeInMs: 200 });
      await consumer.connect();
      try {
        await consumer.subscribe({ topics, fromBeginning: true });
        await new Promise<void>((resolve, reject) => {
          consumer
            .run({
              eachMessage: async ({ topic, partition, message }) => {
                const key = `${topic}:${partition}`;
                const end = remaining.get(key);
                if (end === undefined || BigInt(message.offset) >= end) return;
                const definition = eventDefinitionForTopic(topic);
                let parsed: unknown;
                try {
                  parsed = JSON.parse(message.value?.toString('utf8') ?? '');
                } catch {
                  parsed = undefined;
                }
                const checked = definition ? validateEnvelope(definition, parsed) : null;
                if (checked?.ok) {
                  // system work: replaying the topics lifts the data scope
                  await withDataScope(this.dataSource, SYSTEM_SCOPE, (m) =>
                    this.projector.project(m, topic, checked.value),
                  );
                  result.applied += 1;
                } else {
                  result.skippedInvalid += 1;
                }
                if (BigInt(message.offset) + 1n >= end) remaining.delete(key);
                if (remaining.size === 0) resolve();
              },
            })
            .catch(reject);
        });
      } finally {
        await consumer.disconnect();
      }
      this.logger.log(
        `customer view rebuilt from ${topics.length} topics: ${result.applied} events applied, ${result.skippedInvalid} invalid skipped`,
      );
      return result;
    } finally {
      await admin.deleteGroups([groupId]).catch(() => undefined);
      await admin.disconnect();
    }
  }
}
