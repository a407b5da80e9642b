import type { Features, PartyRecord } from './features';

/**
 * Survivorship: which source record supplies each value of the golden customer record.
 * Each attribute has an ordered list of rules; the first rule that tells two candidate values
 * apart decides, and the smallest `sourceSystem:sourceKey` breaks a full tie, so the result never
 * depends on the order the records arrived in.
 *
 * - `valid`: a value that passed validation (checksum, parseable date, plausible phone) beats one
 *   that did not;
 * - `sourcePriority`: the value from the system listed first in `sourcePriority` wins (systems not
 *   listed come after, equal);
 * - `mostRecent`: the record with the newest `observedAt` wins;
 * - `mostFrequent`: the value most records agree on wins.
 */
export type SurvivorshipRule = 'valid' | 'sourcePriority' | 'mostRecent' | 'mostFrequent';

export const GOLDEN_ATTRIBUTES = [
  'name',
  'nameLatin',
  'birthDate',
  'gender',
  'identifier',
  'phone',
  'email',
  'address',
] as const;
export type GoldenAttribute = (typeof GOLDEN_ATTRIBUTES)[number];

export interface SurvivorshipConfig {
  sourcePriority: string[];
  rules: Record<GoldenAttribute, SurvivorshipRule[]>;
}

export const DEFAULT_SURVIVORSHIP: SurvivorshipConfig = {
  // the account-of-record systems first: they are KYC-checked at onboarding
  sourcePriority: ['core-banking', 'loans', 'wealth', 'cards', 'online-banking'],
  rules: {
    name: ['valid', 'sourcePriority', 'mostRecent'],
    nameLatin: ['sourcePriority', 'mostRecent'],
    birthDate: ['valid', 'mostFrequent', 'sourcePriority', 'mostRecent'],
    gender: ['mostFrequent', 'sourcePriority', 'mostRecent'],
    identifier: ['valid', 'sourcePriority', 'mostRecent'],
    phone: ['valid', 'mostRecent', 'sourcePriority'],
    email: ['mostRecent', 'sourcePriority'],
    address: ['mostRecent', 'sourcePriority'],
  },
};

/** One member record of a customer, as survivorship sees it. */
export interface MemberRecord {
  record: PartyRecord;
  features: Features;
  /** ISO timestamp: when the source last changed the record. */
  observedAt: string;
}

export interface GoldenValue<T> {
  value: T;
  /** `sourceSystem:sourceKey` of the record that supplied it. */
  source: string;
}

export interface GoldenIdentifier {
  idType: string;
  number: string;
  checksumValid: boolean;
}

export interface GoldenRecord {
  partyType: 'individual' | 'organization';
  name: GoldenValue<string> | null;
  nameLatin: GoldenValue<string> | null;
  birthDate: GoldenValue<string> | null;
  gender: GoldenValue<'M' | 'F'> | null;
  /** The surviving identifier first, then every other distinct one. */
  identifiers: GoldenValue<GoldenIdentifier>[];
  phones: GoldenValue<string>[];
  emails: GoldenValue<string>[];
  addresses: GoldenValue<string>[];
}

interface Offer<T> {
  value: T;
  /** Comparable form (values equal under it count as one for mostFrequent and de-duplication). */
  key: string;
  valid: boolean;
  member: MemberRecord;
  ref: string;
}

function ranker<T>(rules: SurvivorshipRule[], priority: string[], offers: Offer<T>[]) {
  const freq = new Map<string, number>();
  for (const o of offers) freq.set(o.key, (freq.get(o.key) ?? 0) + 1);
  const rank = (system: string) => {
    const i = priority.indexOf(system);
    return i < 0 ? priority.length : i;
  };
  return (a: Offer<T>, b: Offer<T>): number => {
    for (const rule of rules) {
      let d = 0;
      if (rule === 'valid') d = Number(b.valid) - Number(a.valid);
      else if (rule === 'sourcePriority')
        d = rank(a.member.features.sourceSystem) - rank(b.member.features.sourceSystem);
      else if (rule === 'mostRecent')
        d =
          b.member.observedAt < a.member.observedAt
            ? -1
            : b.member.observedAt > a.member.observedAt
              ? 1
              : 0;
      else d = (freq.get(b.key) ?? 0) - (freq.get(a.key) ?? 0);
      if (d !== 0) return d;
    }
    return a.ref < b.ref ? -1 : a.ref > b.ref ? 1 : 0;
  };
}

function best<T>(
  attribute: GoldenAttribute,
  offers: Offer<T>[],
  config: SurvivorshipConfig,
): GoldenValue<T> | null {
  if (offers.length === 0) return null;
  const sorted = [...offers].sort(ranker(config.rules[attribute], config.sourcePriority, offers));
  return { value: sorted[0].value, source: sorted[0].ref };
}

/** Every distinct value, the surviving one first, then in survivorship order. */
function all<T>(
  attribute: GoldenAttribute,
  offers: Offer<T>[],
  config: SurvivorshipConfig,
): GoldenValue<T>[] {
  const sorted = [...offers].sort(ranker(config.rules[attribute], config.sourcePriority, offers));
  const seen = new Set<string>();
  const out: GoldenValue<T>[] = [];
  for (const o of sorted) {
    if (seen.has(o.key)) continue;
    seen.add(o.key);
    out.push({ value: o.value, source: o.ref });
  }
  return out;
}

const text = (v: unknown): string | null =>
  typeof v === 'string' && v.trim().length > 0 ? v.trim().replace(/\s+/g, ' ') : null;

/** A mainland mobile has 11 digits starting with 1; anything else counts as less reliable. */
const plausiblePhone = (p: string) => /^1[3-9]\d{9}$/.test(p) || /^\+\d{8,15}$/.test(p);

/** Builds the golden record of one customer from its member records. */
export function survive(
  members: MemberRecord[],
  config: SurvivorshipConfig = DEFAULT_SURVIVORSHIP,
): GoldenRecord {
  if (members.length === 0) throw new Error('survive() needs at least one member record');
  const offers = <T>(pick: (m: MemberRecord) => { value: T; key: string; valid: boolean }[]) =>
    members.flatMap((member) =>
      pick(member).map((p) => ({ ...p, member, ref: member.features.ref })),
    );
  const partyType = members[0].features.party;

  const names = offers((m) => {
    const r = m.record;
    const full =
      text(r.name) ??
      text([r.familyName, r.givenName].filter(Boolean).join(partyType === 'individual' ? '' : ' '));
    if (!full) return [];
    // a name in Han characters (or any name for an organisation) beats a romanised-only one
    const valid = partyType === 'organization' || Boolean(m.features.person?.han);
    return [{ value: full, key: full.toLowerCase(), valid }];
  });
  const latin = offers((m) => {
    const v = text(m.record.nameLatin);
    return v ? [{ value: v, key: v.toLowerCase(), valid: true }] : [];
  });
  const birth = offers((m) =>
    m.features.birthDate
      ? [
          {
            value: m.features.birthDate,
            key: m.features.birthDate,
            valid: !m.features.birthDateInvalid,
          },
        ]
      : [],
  );
  const gender = offers((m) =>
    m.features.gender ? [{ value: m.features.gender, key: m.features.gender, valid: true }] : [],
  );
  const ids = offers<GoldenIdentifier>((m) => {
    const f = m.features;
    const out: { value: GoldenIdentifier; key: string; valid: boolean }[] = [];
    const checksummed = f.idKind === 'CN_RESIDENT_ID' || f.idKind === 'CN_USCC';
    if (f.id && f.idKind) {
      const valid = checksummed ? f.idChecksumValid : true;
      out.push({
        value: { idType: f.idKind, number: f.id, checksumValid: valid },
        key: `${f.idKind}:${f.id}`,
        valid,
      });
    }
    if (f.orgCode && f.idKind !== 'CN_USCC') {
      out.push({
        value: { idType: 'CN_ORG_CODE', number: f.orgCode, checksumValid: f.orgCodeChecksumValid },
        key: `CN_ORG_CODE:${f.orgCode}`,
        valid: f.orgCodeChecksumValid,
      });
    }
    return out;
  });
  const phones = offers((m) =>
    m.features.phone
      ? [
          {
            value: m.features.phone,
            key: m.features.phone,
            valid: plausiblePhone(m.features.phone),
          },
        ]
      : [],
  );
  const emails = offers((m) =>
    m.features.email ? [{ value: m.features.email, key: m.features.email, valid: true }] : [],
  );
  const addresses = offers((m) => {
    const v = text(m.record.address);
    return v && m.features.address ? [{ value: v, key: m.features.address.key, valid: true }] : [];
  });

  return {
    partyType,
    name: best('name', names, config),
    nameLatin: best('nameLatin', latin, config),
    birthDate: best('birthDate', birth, config),
    gender: best('gender', gender, config),
    identifiers: all('identifier', ids, config),
    phones: all('phone', phones, config),
    emails: all('email', emails, config),
    addresses: all('address', addresses, config),
  };
}

/** Lineage: which record supplied each single-valued golden attribute. */
export function lineageOf(g: GoldenRecord): Record<string, string | string[] | null> {
  return {
    name: g.name?.source ?? null,
    nameLatin: g.nameLatin?.source ?? null,
    birthDate: g.birthDate?.source ?? null,
    gender: g.gender?.source ?? null,
    identifiers: g.identifiers.map((i) => i.source),
    phones: g.phones.map((p) => p.source),
    emails: g.emails.map((e) => e.source),
    addresses: g.addresses.map((a) => a.source),
  };
}
