import { maskTail } from '@bank-crm/pii';

import { maskEmails, maskPhones } from './contact-normalizer';
import type { AddressValue, CustomerEntity } from './customer.entity';

type IdType = 'CN_RESIDENT_ID' | 'CN_USCC' | 'CN_ORG_CODE' | 'PASSPORT' | 'NATIONAL_ID' | 'OTHER';

export interface MaskedIdentifier {
  type: IdType;
  masked: string;
}

export interface MaskedContact {
  type: string;
  masked: string;
}

/** A customer as the API shows it: identifiers, phones and e-mails masked. */
export interface CustomerView {
  id: string;
  partyType: 'individual' | 'organization';
  category: string;
  status: 'potential' | 'active' | 'dormant' | 'lost';
  statusChangedAt: string | null;
  displayName: string;
  nameLatin: string | null;
  identifiers: MaskedIdentifier[];
  birthDate: string | null;
  gender: string | null;
  phones: MaskedContact[];
  emails: MaskedContact[];
  addresses: AddressValue[];
  segment: string | null;
  valueTier: string | null;
  relationshipManagerId: string | null;
  version: number;
  createdAt: string;
  updatedAt: string;
  /** Set when the requested id was absorbed by a merge: the answer is its survivor. */
  redirectedFrom?: string;
}

export function maskIdentifiers(ids: { idType: string; number: string }[]): MaskedIdentifier[] {
  return ids
    .map((i) => ({ type: i.idType as IdType, masked: maskTail(i.number) }))
    .sort((a, b) => a.type.localeCompare(b.type) || a.masked.localeCompare(b.masked));
}

export function toCustomerView(c: CustomerEntity, redirectedFrom?: string): CustomerView {
  return {
    id: c.id,
    partyType: c.partyType,
    category: c.category,
    status: c.status,
    statusChangedAt: c.statusChangedAt?.toISOString() ?? null,
    displayName: c.displayName,
    nameLatin: c.nameLatin,
    identifiers: maskIdentifiers(c.identifiers ?? []),
    birthDate: c.birthDate,
    gender: c.gender,
    phones: maskPhones(c.phones ?? []),
    emails: maskEmails(c.emails ?? []),
    addresses: c.addresses ?? [],
    segment: c.segment,
    valueTier: c.valueTier,
    relationshipManagerId: c.relationshipManagerId,
    version: c.version,
    createdAt: c.createdAt.toISOString(),
    updatedAt: c.updatedAt.toISOString(),
    ...(redirectedFrom ? { redirectedFrom } : {}),
  };
}
