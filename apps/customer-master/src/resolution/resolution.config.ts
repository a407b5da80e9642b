import {
  DEFAULT_CONFIG,
  DEFAULT_SURVIVORSHIP,
  GOLDEN_ATTRIBUTES,
  type GoldenAttribute,
  type MatchConfig,
  type SurvivorshipConfig,
  type SurvivorshipRule,
} from '@bank-crm/identity';
import { Type } from '@sinclair/typebox';

import type { CustomerMasterConfig } from '../config/customer-master.config';

const RULES: readonly SurvivorshipRule[] = [
  'valid',
  'sourcePriority',
  'mostRecent',
  'mostFrequent',
];

/** Environment settings of identity resolution (part of customer-master's config schema). */
export const resolutionConfigProperties = {
  RESOLUTION_AUTO_LINK_AT: Type.Number({
    default: DEFAULT_CONFIG.thresholds.autoLink,
    minimum: 0,
    maximum: 200,
    description:
      "Match weight (sum of log2(m/u)) at or above which a pair of records is linked automatically. The default is the offline resolver's (npm run resolve).",
  }),
  RESOLUTION_REVIEW_AT: Type.Number({
    default: DEFAULT_CONFIG.thresholds.review,
    minimum: 0,
    maximum: 200,
    description:
      'Match weight at or above which (and below RESOLUTION_AUTO_LINK_AT) a pair goes to the data-steward review queue.',
  }),
  RESOLUTION_SOURCE_PRIORITY: Type.String({
    default: DEFAULT_SURVIVORSHIP.sourcePriority.join(','),
    pattern: '^[a-z0-9][a-z0-9-]*(,[a-z0-9][a-z0-9-]*)*$',
    description:
      'Source systems in order of trust, comma-separated: the survivorship rule sourcePriority takes a golden value from the first one that has it.',
  }),
  RESOLUTION_NAME_STATISTICS_REFRESH_MS: Type.Integer({
    default: 900_000,
    minimum: 0,
    maximum: 86_400_000,
    description:
      'How often the matcher counts again how many stored person records bear each name (its term-frequency adjustments: a common name weighs less, a one-letter spelling nobody else bears next to a common name is a keying error). Counted at start-up and then at this interval; 0 = never (the configured name weights alone).',
  }),
  RESOLUTION_SURVIVORSHIP_RULES: Type.String({
    default: '',
    description:
      'Optional JSON object overriding the survivorship rules per attribute, e.g. {"name":["sourcePriority","mostRecent"]}. Attributes: name, nameLatin, birthDate, gender, identifier, phone, email, address; rules: valid, sourcePriority, mostRecent, mostFrequent.',
  }),
};

export function matchConfigFrom(config: CustomerMasterConfig): MatchConfig {
  const autoLink = config.RESOLUTION_AUTO_LINK_AT;
  const review = config.RESOLUTION_REVIEW_AT;
  if (review > autoLink) {
    throw new Error(
      `RESOLUTION_REVIEW_AT (${review}) must not be above RESOLUTION_AUTO_LINK_AT (${autoLink})`,
    );
  }
  return { ...DEFAULT_CONFIG, thresholds: { autoLink, review } };
}

export function survivorshipConfigFrom(config: CustomerMasterConfig): SurvivorshipConfig {
  const rules = { ...DEFAULT_SURVIVORSHIP.rules };
  const raw = config.RESOLUTION_SURVIVORSHIP_RULES.trim();
  if (raw) {
    let parsed: unknown;
    try {
      parsed = JSON.parse(raw);
    } catch {
      throw new Error('RESOLUTION_SURVIVORSHIP_RULES is not valid JSON');
    }
    if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) {
      throw new Error('RESOLUTION_SURVIVORSHIP_RULES must be a JSON object');
    }
    for (const [attribute, list] of Object.entries(parsed)) {
      if (!GOLDEN_ATTRIBUTES.includes(attribute as GoldenAttribute)) {
        throw new Error(
          `RESOLUTION_SURVIVORSHIP_RULES: unknown attribute "${attribute}"; known: ${GOLDEN_ATTRIBUTES.join(', ')}`,
        );
      }
      if (
        !Array.isArray(list) ||
        list.length === 0 ||
        list.some((rule) => !RULES.includes(rule as SurvivorshipRule))
      ) {
        throw new Error(
          `RESOLUTION_SURVIVORSHIP_RULES.${attribute} must be a non-empty list of: ${RULES.join(', ')}`,
        );
      }
      rules[attribute as GoldenAttribute] = list as SurvivorshipRule[];
    }
  }
  return { sourcePriority: config.RESOLUTION_SOURCE_PRIORITY.split(','), rules };
}
