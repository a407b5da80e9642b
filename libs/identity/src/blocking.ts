import type { Features } from './features';
import { canonicalGiven } from './normalize/name';

/**
 * Blocking keys: records sharing at least one key are compared. Several independent keys keep
 * recall when any one field is missing or dirty (an ID typo still meets on name + birth date,
 * a changed phone still meets on ID, a pinyin-only record meets its Han record on the
 * order-free letters of the name + birth date).
 */
export function blockingKeys(f: Features): string[] {
  const keys: string[] = [];
  if (f.id) keys.push(`id:${f.idKind ?? ''}:${f.id}`);
  if (f.phone) keys.push(`ph:${f.party[0]}:${f.phone}`);
  if (f.email) keys.push(`em:${f.party[0]}:${f.email}`);
  // a full address down to the room is shared by a household at most
  if (f.address && !f.address.key.endsWith('|')) keys.push(`ad:${f.party[0]}:${f.address.key}`);
  if (f.party === 'individual') {
    const letters = f.person?.letterKey;
    if (letters && f.birthDate) keys.push(`nd:${letters}:${f.birthDate}`);
    // each name token with the birth date: survives middle names, a typo in the other token, swaps
    if (f.person && f.birthDate && !f.person.han) {
      for (const t of new Set(f.person.tokens.map(canonicalGiven)))
        if (t.length > 1) keys.push(`td:${t}:${f.birthDate}`);
    }
    if (f.id && f.idKind === 'CN_RESIDENT_ID') keys.push(`id17:${f.id.slice(0, 17)}`);
  } else {
    if (f.orgCode) keys.push(`oc:${f.orgCode}`);
    if (f.org) keys.push(`on:${f.org.core}`);
  }
  return keys;
}
