import { Type } from '@sinclair/typebox';

/** Schema parts of the review-item contracts (not an event itself). */

export const SourceRecordRefSchema = Type.Object(
  {
    sourceSystem: Type.String({
      pattern: '^[a-z0-9][a-z0-9-]{0,63}$',
      description: 'Business system of the source record.',
    }),
    sourceKey: Type.String({
      minLength: 1,
      maxLength: 128,
      description: 'Key of the source record in its system.',
    }),
  },
  { additionalProperties: false, description: 'A source party record, by its key.' },
);

export const PairScoreSchema = Type.Object(
  {
    total: Type.Number({ description: 'Sum of the field weights (log2 likelihood ratio).' }),
    band: Type.Union([Type.Literal('autoLink'), Type.Literal('review'), Type.Literal('noLink')], {
      description: 'autoLink: at or above the auto-link threshold; review: between the thresholds.',
    }),
    fields: Type.Array(
      Type.Object(
        {
          field: Type.String({ description: 'Compared field, e.g. id, name, birthDate, phone.' }),
          level: Type.Union([Type.String(), Type.Null()], {
            description:
              'Comparison outcome, e.g. exactChecked, phonetic, different; null when a record lacks the value. Never the values themselves.',
          }),
          weight: Type.Number({ description: 'Match weight log2(m/u) of the outcome.' }),
        },
        { additionalProperties: false },
      ),
    ),
  },
  {
    additionalProperties: false,
    description: 'The explainable Fellegi-Sunter score of a pair of records.',
  },
);
