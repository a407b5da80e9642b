import {
  causeOf,
  CUSTOMER_STATUSES,
  decideTransition,
  derivedStatus,
  isInactive,
  overrideProblem,
  type AccountFacts,
  type CustomerStatus,
  type LifecycleInput,
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
});
