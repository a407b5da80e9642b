import { daysBetween } from '../common/dates';

/**
 * The customer lifecycle state machine (pure; no I/O).
 *
 * States: potential (known, no account) -> active (holds an open account with recent activity)
 * -> dormant (open accounts, no activity for `dormantAfterDays`) -> active again on new activity;
 * lost when no open account is left. Derived transitions:
 *
 * | from      | to      | when                                          | cause                |
 * |-----------|---------|-----------------------------------------------|----------------------|
 * | potential | active  | first open account                            | first-account-opened |
 * | potential | dormant | first account seen is already inactive        | inactivity           |
 * | potential | lost    | accounts were opened and closed unseen        | last-account-closed  |
 * | active    | dormant | no activity for dormantAfterDays              | inactivity           |
 * | active    | lost    | no open account left                          | last-account-closed  |
 * | dormant   | active  | new activity                                  | activity-resumed     |
 * | dormant   | lost    | no open account left                          | last-account-closed  |
 * | lost      | active  | a new open account with activity              | account-reopened     |
 * | lost      | dormant | an old inactive account is linked again       | inactivity           |
 *
 * Nothing derives `potential` once a customer has left it. An authorised user may set any status
 * (manual-override); the dormancy sweep leaves an overridden status alone until account-bridge
 * reports newer facts, which the machine then applies as usual.
 */

export const CUSTOMER_STATUSES = ['potential', 'active', 'dormant', 'lost'] as const;
export type CustomerStatus = (typeof CUSTOMER_STATUSES)[number];
export type StatusChangeCause =
  | 'first-account-opened'
  | 'activity-resumed'
  | 'account-reopened'
  | 'inactivity'
  | 'last-account-closed'
  | 'manual-override';
export type StatusChangeTrigger = 'account-event' | 'dormancy-sweep' | 'manual';

/** What account-bridge last reported about a customer's accounts. */
export interface AccountFacts {
  openAccountCount: number;
  everHadAccount: boolean;
  /** Latest activity (or account opening) on any account, YYYY-MM-DD; null when none known. */
  lastActivityOn: string | null;
}

export interface LifecyclePolicy {
  dormantAfterDays: number;
}

export interface Transition {
  from: CustomerStatus;
  to: CustomerStatus;
  cause: StatusChangeCause;
}

export interface LifecycleInput {
  current: CustomerStatus;
  /** null when account-bridge has reported nothing for the customer. */
  facts: AccountFacts | null;
  /** The evaluation date, YYYY-MM-DD. */
  today: string;
  policy: LifecyclePolicy;
  trigger: Exclude<StatusChangeTrigger, 'manual'>;
  /** A manual override newer than the facts is in force. */
  overrideInForce?: boolean;
}

/** True when open accounts have seen no activity for the policy's period. */
export function isInactive(facts: AccountFacts, today: string, policy: LifecyclePolicy): boolean {
  return (
    facts.lastActivityOn !== null &&
    daysBetween(facts.lastActivityOn, today) >= policy.dormantAfterDays
  );
}

/** The status the facts call for, given the current one. */
export function derivedStatus(
  current: CustomerStatus,
  facts: AccountFacts,
  today: string,
  policy: LifecyclePolicy,
): CustomerStatus {
  if (facts.openAccountCount > 0) return isInactive(facts, today, policy) ? 'dormant' : 'active';
  if (current === 'potential' && !facts.everHadAccount) return 'potential';
  return 'lost';
}

export function causeOf(from: CustomerStatus, to: CustomerStatus): StatusChangeCause {
  switch (to) {
    case 'active':
      if (from === 'potential') return 'first-account-opened';
      if (from === 'lost') return 'account-reopened';
      return 'activity-resumed';
    case 'dormant':
      return 'inactivity';
    case 'lost':
      return 'last-account-closed';
    case 'potential':
      throw new Error(`no derived transition leads from ${from} to potential`);
  }
}

/** The transition the machine takes now, or null when the status stays. */
export function decideTransition(input: LifecycleInput): Transition | null {
  const { current, facts, today, policy, trigger } = input;
  if (facts === null) return null;
  if (trigger === 'dormancy-sweep' && input.overrideInForce) return null;
  const to = derivedStatus(current, facts, today, policy);
  if (to === current) return null;
  return { from: current, to, cause: causeOf(current, to) };
}

/** A customer's lifecycle as stored, as far as a holdings snapshot needs it. */
export interface StoredLifecycle {
  /** null when the customer is not live here: not created yet, or absorbed by a merge. */
  status: CustomerStatus | null;
  /** The sequence of the snapshot whose facts are stored; null when none is. */
  sequence: number | null;
}

/** What account-bridge reported about a customer's accounts in one snapshot. */
export interface HoldingsSnapshot {
  customerId: string;
  sequence: number;
  facts: AccountFacts;
}

export interface HoldingsOutcome {
  /** False for a snapshot older than (or as old as) the facts already applied: it changes nothing. */
  applied: boolean;
  transition: Transition | null;
}

/**
 * Applies snapshots in order to the customers' stored lifecycles, as one by one would: a
 * snapshot newer than the customer's facts replaces them and may take the machine one step
 * (whose result the next snapshot of the customer starts from); an older one changes nothing.
 * Facts are kept for a customer that is not live here, without a transition. `stored` is
 * updated in place (customers missing from it start with nothing stored). Account events apply
 * over a manual override (it holds only against the dormancy sweep), so none is needed here.
 */
export function foldHoldings(
  stored: Map<string, StoredLifecycle>,
  snapshots: readonly HoldingsSnapshot[],
  today: string,
  policy: LifecyclePolicy,
): HoldingsOutcome[] {
  return snapshots.map(({ customerId, sequence, facts }) => {
    let customer = stored.get(customerId);
    if (!customer) {
      customer = { status: null, sequence: null };
      stored.set(customerId, customer);
    }
    if (customer.sequence !== null && customer.sequence >= sequence) {
      return { applied: false, transition: null };
    }
    customer.sequence = sequence;
    if (customer.status === null) return { applied: true, transition: null };
    const transition = decideTransition({
      current: customer.status,
      facts,
      today,
      policy,
      trigger: 'account-event',
    });
    if (transition) customer.status = transition.to;
    return { applied: true, transition };
  });
}

/** Why a manual override is refused, or null when it may happen. */
export function overrideProblem(current: CustomerStatus, to: CustomerStatus): string | null {
  if (current === to) return `the customer is already ${to}`;
  return null;
}
