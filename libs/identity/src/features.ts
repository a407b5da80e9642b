import type { SourcePartyRecordV1 } from '@bank-crm/contracts';

import { normalizeAddress, type Address } from './normalize/address';
import { normalizeDate } from './normalize/date';
import { normalizeEmail } from './normalize/email';
import { normalizePersonName, type PersonName } from './normalize/name';
import { normalizeOrgCode } from './normalize/org-code';
import { normalizeOrgName, type OrgName } from './normalize/org-name';
import { normalizeOtherId } from './normalize/passport';
import { normalizePhone } from './normalize/phone';
import { normalizeResidentId } from './normalize/resident-id';
import { normalizeUscc } from './normalize/uscc';

/** The identifier family: numbers of one kind are comparable with each other only. */
export type IdKind = 'CN_RESIDENT_ID' | 'CN_USCC' | 'PASSPORT' | 'NATIONAL_ID' | 'OTHER';

/** A record reduced to the normalised values the matcher compares. */
export interface Features {
  ref: string;
  sourceSystem: string;
  sourceKey: string;
  party: 'individual' | 'organization';
  person: PersonName | null;
  org: OrgName | null;
  idKind: IdKind | null;
  id: string | null;
  /** The identifier passed a checksum (18-digit resident id, USCC). */
  idChecksumValid: boolean;
  /** Organisation code: from a USCC (characters 9-17) or recorded alone (legacy). */
  orgCode: string | null;
  orgCodeChecksumValid: boolean;
  /** Recorded birth / registration date if valid, else (individuals) the one coded in a resident id. */
  birthDate: string | null;
  birthDateInvalid: boolean;
  gender: 'M' | 'F' | null;
  phone: string | null;
  email: string | null;
  address: Address | null;
  /** Data-quality flags, for explanations and stewardship. */
  flags: string[];
}

/** Minimal shape the engine needs; extra fields are ignored. */
export type PartyRecord = Pick<SourcePartyRecordV1, 'sourceSystem' | 'sourceKey' | 'partyType'> &
  Partial<Omit<SourcePartyRecordV1, 'sourceSystem' | 'sourceKey' | 'partyType'>>;

export const recordRef = (r: { sourceSystem: string; sourceKey: string }): string =>
  `${r.sourceSystem}:${r.sourceKey}`;

/** One string per source system name, however many records carry it. */
const systems = new Map<string, string>();
const system = (name: string): string => {
  const hit = systems.get(name);
  if (hit !== undefined) return hit;
  if (systems.size < 10_000) systems.set(name, name);
  return name;
};

function normalizeGender(raw: string | null | undefined): 'M' | 'F' | null {
  if (!raw) return null;
  switch (raw.trim().toLowerCase()) {
    case 'm':
    case 'male':
    case '男':
    case '1':
    case 'man':
      return 'M';
    case 'f':
    case 'female':
    case '女':
    case '2':
    case 'woman':
      return 'F';
    default:
      return null;
  }
}

/** Turns a source record into comparable features; returns a reason string if it cannot be used. */
export function extractFeatures(record: PartyRecord): Features | string {
  if (!record.sourceSystem || !record.sourceKey) return 'missing sourceSystem or sourceKey';
  if (record.partyType !== 'individual' && record.partyType !== 'organization')
    return 'missing or unknown partyType';
  const flags: string[] = [];
  const party = record.partyType;
  const sourceSystem = system(record.sourceSystem);
  const f: Features = {
    ref: `${sourceSystem}:${record.sourceKey}`,
    sourceSystem,
    sourceKey: record.sourceKey,
    party,
    person: null,
    org: null,
    idKind: null,
    id: null,
    idChecksumValid: false,
    orgCode: null,
    orgCodeChecksumValid: false,
    birthDate: null,
    birthDateInvalid: false,
    gender: normalizeGender(record.gender),
    phone: normalizePhone(record.phone),
    email: normalizeEmail(record.email),
    address: normalizeAddress(record.address),
    flags,
  };
  const date = normalizeDate(record.birthDate);
  f.birthDate = date.value;
  f.birthDateInvalid = date.invalid;
  if (date.invalid) flags.push('birthDateInvalid');

  if (party === 'individual') {
    f.person = normalizePersonName(record);
    if (!f.person) return 'no usable name';
  } else {
    f.org = normalizeOrgName(
      record.name ?? record.nameLatin ?? record.familyName ?? record.givenName,
    );
    if (!f.org) return 'no usable name';
  }

  const rawId = record.idNumber;
  if (rawId) {
    const t = record.idType ?? null;
    if (party === 'individual' && (t === 'CN_RESIDENT_ID' || (!t && normalizeResidentId(rawId)))) {
      const rid = normalizeResidentId(rawId);
      if (rid) {
        f.idKind = 'CN_RESIDENT_ID';
        f.id = rid.value;
        f.idChecksumValid = rid.checksumValid;
        if (rid.legacy15) flags.push('idLegacy15');
        else if (!rid.checksumValid) flags.push('idChecksumInvalid');
        if (!f.birthDate && rid.birthDate && (rid.checksumValid || rid.legacy15))
          f.birthDate = rid.birthDate;
        f.gender ??= rid.checksumValid || rid.legacy15 ? rid.gender : null;
      } else flags.push('idUnparseable');
    } else if (party === 'organization' && (t === 'CN_USCC' || t === 'CN_ORG_CODE' || !t)) {
      const uscc = t === 'CN_ORG_CODE' ? null : normalizeUscc(rawId);
      const oc = uscc ? uscc.orgCode : normalizeOrgCode(rawId);
      if (uscc) {
        f.idKind = 'CN_USCC';
        f.id = uscc.value;
        f.idChecksumValid = uscc.checksumValid;
        if (!uscc.checksumValid) flags.push('idChecksumInvalid');
      }
      if (oc) {
        f.orgCode = oc.value;
        f.orgCodeChecksumValid = oc.checksumValid;
        if (!uscc) flags.push('orgCodeOnly');
      }
      if (!uscc && !oc) flags.push('idUnparseable');
    } else {
      const v = normalizeOtherId(rawId);
      if (v) {
        f.idKind = t === 'PASSPORT' || t === 'NATIONAL_ID' ? t : 'OTHER';
        f.id = v;
      }
    }
  }
  // most records carry no flag: they share one empty list (a million records keep theirs)
  if (flags.length === 0) f.flags = NO_FLAGS;
  return f;
}

const NO_FLAGS: string[] = Object.freeze([]) as unknown as string[];
