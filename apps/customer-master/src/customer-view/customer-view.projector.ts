import type { EventEnvelope } from '@bank-crm/contracts';
import { Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';

import { accountsPart } from './parts/accounts.part';
import { groupsPart } from './parts/groups.part';
import { lifecyclePart } from './parts/lifecycle.part';
import type { PartHandler, PartHandlers } from './parts/part-handler';
import { applyProfileFieldsMany, profileFieldsOf, profilePart } from './parts/profile.part';
import { redirectPart } from './parts/redirect.part';
import { relationsPart } from './parts/relations.part';

/** Every part of the view. A new part is a new handler file here and a section in the reader. */
export const CUSTOMER_VIEW_PARTS: readonly PartHandlers[] = [
  profilePart,
  redirectPart,
  accountsPart,
  lifecyclePart,
  relationsPart,
  groupsPart,
];

/** Routes events to the view's part handlers; the same path serves live events and replays. */
@Injectable()
export class CustomerViewProjector {
  private readonly byTopic = new Map<string, PartHandler<never>[]>();

  constructor() {
    for (const part of CUSTOMER_VIEW_PARTS) {
      for (const [topic, handler] of Object.entries(part)) {
        this.byTopic.set(topic, [...(this.byTopic.get(topic) ?? []), handler]);
      }
    }
  }

  /** The topics the view is built from. */
  topics(): string[] {
    return [...this.byTopic.keys()].sort();
  }

  /**
   * Applies many events in order. Events that touch only the profile part (created, updated,
   * status-changed) are applied with one read and one write; anything else one by one.
   */
  async projectMany(
    manager: EntityManager,
    events: readonly { topic: string; envelope: EventEnvelope }[],
  ): Promise<void> {
    const viewed = events.filter((e) => this.byTopic.has(e.topic));
    const profileOnly = viewed.every(
      (e) => profileFieldsOf[e.topic] && this.byTopic.get(e.topic)?.length === 1,
    );
    if (!profileOnly) {
      for (const e of viewed) await this.project(manager, e.topic, e.envelope);
      return;
    }
    await applyProfileFieldsMany(
      manager,
      viewed.map((e) => profileFieldsOf[e.topic](e.envelope as EventEnvelope<never>)),
    );
  }

  async project(manager: EntityManager, topic: string, event: EventEnvelope): Promise<void> {
    for (const handler of this.byTopic.get(topic) ?? []) {
      await handler(manager, event as EventEnvelope<never>);
    }
  }
}
