import { Type, type TUnsafe } from '@sinclair/typebox';

/** A string enum as plain JSON Schema `enum` (clearer for non-TypeScript readers than anyOf/const). */
export function StringEnum<const T extends readonly string[]>(
  values: T,
  options: { description?: string } = {},
): TUnsafe<T[number]> {
  return Type.Unsafe<T[number]>({ type: 'string', enum: [...values], ...options });
}

export const PartyTypeSchema = StringEnum(['individual', 'organization'], {
  description:
    'individual = a natural person; organization = a company, institution or other legal entity.',
});

export const IdTypeSchema = StringEnum(
  ['CN_RESIDENT_ID', 'CN_USCC', 'CN_ORG_CODE', 'PASSPORT', 'NATIONAL_ID', 'OTHER'],
  {
    description:
      "CN_RESIDENT_ID: PRC resident identity card (GB 11643, 18 or legacy 15 characters); CN_USCC: Unified Social Credit Code (GB 32100); CN_ORG_CODE: 9-character organisation code (GB 11714); PASSPORT; NATIONAL_ID: another country's national id; OTHER.",
  },
);

export const CustomerStatusSchema = StringEnum(['potential', 'active', 'dormant', 'lost'], {
  description:
    'Lifecycle status: potential (no account yet), active, dormant (no recent activity), lost.',
});

/** An identifier as published outside the owning service: type plus masked value, never the full number. */
export const MaskedIdentifierSchema = Type.Object(
  {
    type: IdTypeSchema,
    masked: Type.String({
      description: 'The normalised number with all but the last 4 characters masked.',
    }),
  },
  { additionalProperties: false },
);

export const Uuid = (description: string) => Type.String({ format: 'uuid', description });
export const Timestamp = (description: string) => Type.String({ format: 'date-time', description });
