import type { ServiceName } from '@bank-crm/contracts';
import {
  Inject,
  Injectable,
  Module,
  type BeforeApplicationShutdown,
  type DynamicModule,
  type OnApplicationBootstrap,
} from '@nestjs/common';

import { ConsumerState } from './consumer/consumer-state';
import { createKafka } from './kafka/kafka-factory';
import type { KafkaSettings } from './kafka/kafka-settings';
import { nestLogSink } from './nest-log-sink';
import { OutboxRelay } from './outbox/outbox-relay';
import { OutboxWriter } from './outbox/outbox-writer';

export interface MessagingModuleOptions {
  serviceName: ServiceName;
  databaseUrl: string;
  kafka: KafkaSettings;
  outboxPollIntervalMs: number;
  /** Published outbox rows are deleted after this long (the relay's default unless given). */
  outboxRetentionMs?: number;
}

export const MESSAGING_OPTIONS = Symbol('MESSAGING_OPTIONS');

/** Runs the outbox relay for the lifetime of the application. */
@Injectable()
export class OutboxRelayService implements OnApplicationBootstrap, BeforeApplicationShutdown {
  readonly relay: OutboxRelay;

  constructor(@Inject(MESSAGING_OPTIONS) options: MessagingModuleOptions) {
    this.relay = new OutboxRelay({
      databaseUrl: options.databaseUrl,
      serviceName: options.serviceName,
      kafka: createKafka(
        { brokers: options.kafka.brokers, clientId: `${options.kafka.clientId}-relay` },
        nestLogSink,
      ),
      logger: nestLogSink,
      pollIntervalMs: options.outboxPollIntervalMs,
      retentionMs: options.outboxRetentionMs,
    });
  }

  onApplicationBootstrap(): void {
    this.relay.start();
  }

  async beforeApplicationShutdown(): Promise<void> {
    await this.relay.stop();
  }
}

@Module({})
export class MessagingModule {
  static forRoot(options: MessagingModuleOptions): DynamicModule {
    return {
      module: MessagingModule,
      global: true,
      providers: [
        { provide: MESSAGING_OPTIONS, useValue: options },
        { provide: OutboxWriter, useValue: new OutboxWriter(options.serviceName) },
        { provide: ConsumerState, useValue: new ConsumerState() },
        OutboxRelayService,
      ],
      exports: [OutboxWriter, ConsumerState, OutboxRelayService, MESSAGING_OPTIONS],
    };
  }
}
