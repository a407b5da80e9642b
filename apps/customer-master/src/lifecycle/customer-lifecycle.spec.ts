import {
  causeOf,
  CUSTOMER_STATUSES,
  decideTransition,
  derivedStatus,
  foldHoldings,
  isInactive,
  overrideProblem,
  type AccountFacts,
  type CustomerStatus,
  type HoldingsSnapshot,
  type LifecycleInput,
  type StoredLifecycle,
} from './customer-lifecycle';

const policy = { dormantAfterDays: 180 };
const today = '2026-12-01';
const recent = '2026-11-30';
const old = '2026-06-01'; // 183 days before today

const facts = (
  openAccountCount: number,
  lastActivityOn: string | null,
  everHadAccount = openAccountCount > 0,
): AccountFacts => ({ openAccountCount, lastActivityOn, everHadAccount });

const decide = (
  current: CustomerStatus,
  f: AccountFacts | null,
  extra: Partial<LifecycleInput> = {},
) => decideTransition({ current, facts: f, today, policy, trigger: 'account-event', ...extra });

describe('customer lifecycle state machine', () => {
  describe('isInactive', () => {
    it('counts whole days against the configured period', () => {
      expect(isInactive(facts(1, '2026-06-04'), today, policy)).toBe(true); // 180 days
      expect(isInactive(facts(1, '2026-06-05'), today, policy)).toBe(false); // 179 days
      expect(isInactive(facts(1, null), today, policy)).toBe(false);
      expect(isInactive(facts(1, '2026-11-01'), today, { dormantAfterDays: 30 })).toBe(true);
    });
  });

  // every (current status x facts) combination: [current, facts, expected target or null, cause]
  const table: [CustomerStatus, string, AccountFacts, CustomerStatus | null, string | null][] = [
    ['potential', 'no account ever', facts(0, null, false), null, null],
    ['potential', 'first open account', facts(1, recent), 'active', 'first-account-opened'],
    [
      'potential',
      'open account without activity date',
      facts(1, null),
      'active',
      'first-account-opened',
    ],
    ['potential', 'first account already inactive', facts(1, old), 'dormant', 'inactivity'],
    ['potential', 'opened and closed unseen', facts(0, old, true), 'lost', 'last-account-closed'],
    ['active', 'recent activity', facts(2, recent), null, null],
    ['active', 'no activity for the period', facts(2, old), 'dormant', 'inactivity'],
    ['active', 'last account closed', facts(0, recent, true), 'lost', 'last-account-closed'],
    [
      'active',
      'accounts unlinked (never had any)',
      facts(0, null, false),
      'lost',
      'last-account-closed',
    ],
    ['dormant', 'still inactive', facts(1, old), null, null],
    ['dormant', 'new activity', facts(1, recent), 'active', 'activity-resumed'],
    ['dormant', 'last account closed', facts(0, old, true), 'lost', 'last-account-closed'],
    ['lost', 'still no account', facts(0, old, true), null, null],
    ['lost', 'new account opened', facts(1, recent), 'active', 'account-reopened'],
    ['lost', 'an old inactive account linked again', facts(1, old), 'dormant', 'inactivity'],
  ];

  it.each(table)('%s + %s', (current, _label, f, to, cause) => {
    const t = decide(current, f);
    expect(t).toEqual(to === null ? null : { from: current, to, cause });
  });

  it('covers every status in the table', () => {
    expect(new Set(table.map((r) => r[0]))).toEqual(new Set(CUSTOMER_STATUSES));
  });

  it('never derives potential once left', () => {
    for (const current of CUSTOMER_STATUSES.filter((s) => s !== 'potential')) {
      for (const f of [
        facts(0, null, false),
        facts(0, old, true),
        facts(3, recent),
        facts(3, old),
      ]) {
        expect(derivedStatus(current, f, today, policy)).not.toBe('potential');
      }
    }
    expect(() => causeOf('active', 'potential')).toThrow(/no derived transition/);
  });

  it('stays put without facts (nothing reported by account-bridge)', () => {
    for (const current of CUSTOMER_STATUSES) expect(decide(current, null)).toBeNull();
  });

  it('the dormancy sweep makes an active customer dormant, like the on-event check', () => {
    expect(decide('active', facts(1, old), { trigger: 'dormancy-sweep' })).toEqual({
      from: 'active',
      to: 'dormant',
      cause: 'inactivity',
    });
  });

  it('the sweep leaves a manual override in force alone; newer account facts apply', () => {
    expect(
      decide('active', facts(1, old), { trigger: 'dormancy-sweep', overrideInForce: true }),
    ).toBeNull();
    expect(decide('active', facts(1, old), { overrideInForce: true })).toEqual({
      from: 'active',
      to: 'dormant',
      cause: 'inactivity',
    });
  });

  it('is deterministic for the same input (replay gives the same result)', () => {
    for (const [current, , f] of table) expect(decide(current, f)).toEqual(decide(current, f));
  });

  it('allows a manual override to any other status', () => {
    for (const from of CUSTOMER_STATUSES) {
      for (const to of CUSTOMER_STATUSES) {
        expect(overrideProblem(from, to) === null).toBe(from !== to);
      }
    }
  });

  describe('foldHoldings (a chunk of snapshots at once)', () => {
    const snap = (customerId: string, sequence: number, f: AccountFacts): HoldingsSnapshot => ({
      customerId,
      sequence,
      facts: f,
    });

    it('applies a chunk in order, each snapshot from the state the one before left', () => {
      const stored = new Map<string, StoredLifecycle>([
        ['a', { status: 'potential', sequence: null }],
        ['b', { status: 'active', sequence: 5 }],
      ]);
      const snapshots = [
        snap('a', 1, facts(1, recent)), // potential -> active
        snap('b', 4, facts(0, null, true)), // older than b's stored facts: nothing
        snap('a', 2, facts(0, null, true)), // from the state the first one left: active -> lost
        snap('b', 6, facts(1, old)), // active -> dormant
        snap('a', 3, facts(1, recent)), // lost -> active again
      ];
      const outcomes = foldHoldings(stored, snapshots, today, policy);

      expect(outcomes.map((o) => o.transition?.to ?? (o.applied ? 'same' : 'older'))).toEqual([
        'active',
        'older',
        'lost',
        'dormant',
        'active',
      ]);
      expect(outcomes[2].transition).toEqual({
        from: 'active',
        to: 'lost',
        cause: 'last-account-closed',
      });
      expect(stored.get('a')).toEqual({ status: 'active', sequence: 3 });
      expect(stored.get('b')).toEqual({ status: 'dormant', sequence: 6 });
    });

    it('a repeated sequence is not applied twice', () => {
      const stored = new Map<string, StoredLifecycle>([
        ['a', { status: 'potential', sequence: null }],
      ]);
      const outcomes = foldHoldings(
        stored,
        [snap('a', 7, facts(1, recent)), snap('a', 7, facts(1, recent))],
        today,
        policy,
      );
      expect(outcomes.map((o) => o.applied)).toEqual([true, false]);
      expect(outcomes[1].transition).toBeNull();
    });

    it('keeps facts of a customer that is not live here without a transition, and skips older ones after them', () => {
      const stored = new Map<string, StoredLifecycle>([['merged', { status: null, sequence: 2 }]]);
      const outcomes = foldHoldings(
        stored,
        [snap('unknown', 1, facts(1, recent)), snap('merged', 3, facts(1, recent))],
        today,
        policy,
      );
      expect(outcomes).toEqual([
        { applied: true, transition: null },
        { applied: true, transition: null },
      ]);
      expect(stored.get('unknown')).toEqual({ status: null, sequence: 1 });
      expect(
        foldHoldings(stored, [snap('unknown', 1, facts(0, null, true))], today, policy),
      ).toEqual([{ applied: false, transition: null }]);
    });
  });
});
