import type { EventDefinition } from './event-definition';
import { AccountBalanceChangedV1 } from './events/account-bridge/account-balance-changed.v1';
import { AccountClosedV1 } from './events/account-bridge/account-closed.v1';
import { AccountHolderLinkedV1 } from './events/account-bridge/account-holder-linked.v1';
import { AccountHolderUnlinkedV1 } from './events/account-bridge/account-holder-unlinked.v1';
import { AccountOpenedV1 } from './events/account-bridge/account-opened.v1';
import { AccountStatusChangedV1 } from './events/account-bridge/account-status-changed.v1';
import { CustomerHoldingsChangedV1 } from './events/account-bridge/customer-holdings-changed.v1';
import { CustomerHoldingsChangedV2 } from './events/account-bridge/customer-holdings-changed.v2';
import { SourceAccountBalanceRecordedV1 } from './events/account-bridge/source-account-balance-recorded.v1';
import { SourceAccountRecordedV1 } from './events/account-bridge/source-account-recorded.v1';
import { SourcePartyRecordedV1 } from './events/account-bridge/source-party-recorded.v1';
import { CustomerCreatedV1 } from './events/customer-master/customer-created.v1';
import { CustomerMergedV1 } from './events/customer-master/customer-merged.v1';
import { CustomerRelationAddedV1 } from './events/customer-master/customer-relation-added.v1';
import { CustomerRelationEndedV1 } from './events/customer-master/customer-relation-ended.v1';
import { CustomerStatusChangedV1 } from './events/customer-master/customer-status-changed.v1';
import { CustomerUnmergedV1 } from './events/customer-master/customer-unmerged.v1';
import { CustomerUpdatedV1 } from './events/customer-master/customer-updated.v1';
import { GroupMembershipAddedV1 } from './events/customer-master/group-membership-added.v1';
import { GroupMembershipEndedV1 } from './events/customer-master/group-membership-ended.v1';
import { ReviewItemDecidedV1 } from './events/customer-master/review-item-decided.v1';
import { ReviewItemOpenedV1 } from './events/customer-master/review-item-opened.v1';
import { SourceRecordLinkedV1 } from './events/customer-master/source-record-linked.v1';
import { SERVICE_NAMES, type ServiceName } from './services';

/** Every event contract, in one list: docs, topic creation and consumers all read it. */
export const EVENT_DEFINITIONS: readonly EventDefinition[] = [
  SourcePartyRecordedV1,
  CustomerHoldingsChangedV1,
  CustomerHoldingsChangedV2,
  SourceAccountRecordedV1,
  SourceAccountBalanceRecordedV1,
  AccountOpenedV1,
  AccountClosedV1,
  AccountStatusChangedV1,
  AccountBalanceChangedV1,
  AccountHolderLinkedV1,
  AccountHolderUnlinkedV1,
  CustomerCreatedV1,
  CustomerUpdatedV1,
  CustomerStatusChangedV1,
  CustomerMergedV1,
  CustomerUnmergedV1,
  CustomerRelationAddedV1,
  CustomerRelationEndedV1,
  GroupMembershipAddedV1,
  GroupMembershipEndedV1,
  SourceRecordLinkedV1,
  ReviewItemOpenedV1,
  ReviewItemDecidedV1,
];

const byTopic = new Map(EVENT_DEFINITIONS.map((d) => [d.topic, d]));
if (byTopic.size !== EVENT_DEFINITIONS.length) {
  throw new Error('two event definitions share a topic');
}

export function eventDefinitionForTopic(topic: string): EventDefinition | undefined {
  return byTopic.get(topic);
}

/**
 * Where a service parks the messages it cannot process (invalid, or failing after its retries).
 * The value is the original message, unchanged; headers say where it came from and why it failed.
 * Messages of restricted topics never go here: see `restrictedDeadLetterTopic`.
 */
export function deadLetterTopic(service: ServiceName): string {
  return `${service}.message.dead-lettered.v1`;
}

/**
 * Where a service parks the messages of **restricted** topics it cannot process. A dead letter
 * is the original message unchanged, so a dead letter of a restricted topic carries the same
 * unmasked personal data as that topic: it is itself restricted (reading it needs the same kind of
 * ACL), and kept apart from the ordinary dead letters every operator may read.
 */
export function restrictedDeadLetterTopic(service: ServiceName): string {
  return `${service}.message.dead-lettered-restricted.v1`;
}

/** The dead-letter topic of a message: the restricted one when its topic is restricted. */
export function deadLetterTopicFor(service: ServiceName, restricted: boolean): string {
  return restricted ? restrictedDeadLetterTopic(service) : deadLetterTopic(service);
}

export const DEAD_LETTER_PARTITIONS = 1;

/** Headers a dead letter carries (values are strings). */
export const DEAD_LETTER_HEADERS = {
  originalTopic: 'dlq-original-topic',
  originalPartition: 'dlq-original-partition',
  originalOffset: 'dlq-original-offset',
  originalKey: 'dlq-original-key',
  consumerGroup: 'dlq-consumer-group',
  reason: 'dlq-reason',
  error: 'dlq-error',
  attempts: 'dlq-attempts',
  failedAt: 'dlq-failed-at',
} as const;

export type DeadLetterReason = 'unparseable' | 'invalid' | 'handler-failed';

export interface TopicSpec {
  topic: string;
  partitions: number;
  owner: ServiceName;
  /** Carries unmasked personal data (a restricted event, or the dead letters of restricted events). */
  restricted: boolean;
}

/**
 * Every service's two dead-letter topics: the ordinary one, and the restricted one for the dead
 * letters of restricted topics (declared restricted like the events it may hold).
 */
export function deadLetterTopicSpecs(): TopicSpec[] {
  return SERVICE_NAMES.flatMap((s) =>
    [false, true].map((restricted) => ({
      topic: deadLetterTopicFor(s, restricted),
      partitions: DEAD_LETTER_PARTITIONS,
      owner: s,
      restricted,
    })),
  );
}

/** Every topic the platform uses, with its partition count: created explicitly, never auto-created. */
export function allTopics(): TopicSpec[] {
  return [
    ...EVENT_DEFINITIONS.map((d) => ({
      topic: d.topic,
      partitions: d.partitions,
      owner: d.owner,
      restricted: d.restricted,
    })),
    ...deadLetterTopicSpecs(),
  ];
}
