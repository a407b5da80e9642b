/** A relation type with its reverse, as the catalogue holds it. */
export interface RelationTypePair {
  code: string;
  label: string;
  labelZh: string | null;
  reverseCode: string;
  reverseLabel: string;
  reverseLabelZh: string | null;
}

export interface StoredRelation {
  id: string;
  fromCustomerId: string;
  toCustomerId: string;
  validFrom: string;
  validTo: string | null;
}

/** A relation seen from one of its customers: "customer is <role> of counterpart". */
export interface RelationView {
  relationId: string;
  customerId: string;
  role: { code: string; label: string; labelZh: string | null };
  counterpartCustomerId: string;
  counterpartRole: { code: string; label: string; labelZh: string | null };
  validFrom: string;
  validTo: string | null;
}

/**
 * The stored direction of a new relation: the one whose type code sorts first (parent/child is
 * stored as child, shareholder/invested-in as invested-in), so both sides record the same row.
 */
export function canonicalDirection(
  type: RelationTypePair,
  customerId: string,
  counterpartId: string,
): { typeCode: string; fromCustomerId: string; toCustomerId: string } {
  if (type.code <= type.reverseCode) {
    return { typeCode: type.code, fromCustomerId: customerId, toCustomerId: counterpartId };
  }
  return { typeCode: type.reverseCode, fromCustomerId: counterpartId, toCustomerId: customerId };
}

/** The relation with the right labels for the side of `customerId`. */
export function relationFromSide(
  r: StoredRelation,
  storedType: RelationTypePair,
  customerId: string,
): RelationView {
  const forward = {
    code: storedType.code,
    label: storedType.label,
    labelZh: storedType.labelZh,
  };
  const reverse = {
    code: storedType.reverseCode,
    label: storedType.reverseLabel,
    labelZh: storedType.reverseLabelZh,
  };
  const fromSide = r.fromCustomerId === customerId;
  if (!fromSide && r.toCustomerId !== customerId) {
    throw new Error(`customer ${customerId} is not part of relation ${r.id}`);
  }
  return {
    relationId: r.id,
    customerId,
    role: fromSide ? forward : reverse,
    counterpartCustomerId: fromSide ? r.toCustomerId : r.fromCustomerId,
    counterpartRole: fromSide ? reverse : forward,
    validFrom: r.validFrom,
    validTo: r.validTo,
  };
}
