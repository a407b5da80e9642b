/**
 * Default matching configuration. Each comparison level carries m = P(level | same party) and
 * u = P(level | different parties); its Fellegi-Sunter weight is log2(m / u). The values are set
 * from domain reasoning (checksums, how often people change phones, how often households share
 * them) and can be re-estimated from unlabelled data with `estimateParameters` (EM).
 */
export interface LevelParams {
  m: number;
  u: number;
}
export type FieldParams = Record<string, LevelParams>;

export interface MatchConfig {
  /** A pair at or above autoLink is linked; between review and autoLink it is queued for review. */
  thresholds: { autoLink: number; review: number };
  /** A compared pair scoring below this vetoes linking the record into that pair's cluster. */
  vetoBelow: number;
  /** Blocks larger than this carry too little information and are not used to find candidates. */
  maxBlockSize: number;
  individual: Record<string, FieldParams>;
  organization: Record<string, FieldParams>;
}

export const DEFAULT_CONFIG: MatchConfig = {
  thresholds: { autoLink: 22, review: 16 },
  vetoBelow: -9,
  maxBlockSize: 200,
  individual: {
    id: {
      exactChecked: { m: 0.85, u: 1e-7 },
      exact: { m: 0.1, u: 1e-6 },
      near: { m: 0.03, u: 1e-5 },
      // both checksums valid yet different: MOD 11-2 / MOD 31 catch every single keying error
      conflict: { m: 1e-4, u: 0.99 },
      // a passport renewed under a new number
      reissued: { m: 0.1, u: 0.99 },
      // a lifelong personal number more than one keying error away
      different: { m: 0.01, u: 0.99 },
    },
    name: {
      exact: { m: 0.88, u: 1e-4 },
      // a Han name against its pinyin-only spelling (a system without Chinese characters)
      phonetic: { m: 0.15, u: 2e-4 },
      // two Han names of the same sound, other characters
      homophone: { m: 0.02, u: 3e-4 },
      nickname: { m: 0.04, u: 3e-5 },
      partial: { m: 0.08, u: 5e-5 },
      typo: { m: 0.05, u: 3e-5 },
      // kept weak: relatives' names can be this close (jon / joan, ella / emma)
      fuzzy: { m: 0.03, u: 1e-3 },
      different: { m: 0.005, u: 0.99 },
    },
    birthDate: {
      exact: { m: 0.93, u: 5e-5 },
      partial: { m: 0.04, u: 2.5e-3 },
      different: { m: 0.03, u: 0.99 },
    },
    gender: {
      agree: { m: 0.98, u: 0.5 },
      // agreement when the names agree: a given name already tells the sex
      implied: { m: 0.98, u: 0.98 },
      disagree: { m: 0.01, u: 0.5 },
    },
    // 'shared': the value agrees but the names do not (households share phones and addresses)
    phone: {
      exact: { m: 0.6, u: 1e-4 },
      shared: { m: 0.6, u: 0.3 },
      different: { m: 0.35, u: 0.99 },
    },
    email: {
      exact: { m: 0.6, u: 1e-5 },
      shared: { m: 0.6, u: 0.1 },
      different: { m: 0.3, u: 0.99 },
    },
    address: {
      exact: { m: 0.6, u: 5e-5 },
      shared: { m: 0.6, u: 0.4 },
      street: { m: 0.1, u: 0.02 },
      different: { m: 0.3, u: 0.98 },
    },
  },
  organization: {
    id: {
      exactChecked: { m: 0.85, u: 1e-7 },
      exact: { m: 0.1, u: 1e-6 },
      orgCode: { m: 0.1, u: 1e-6 },
      near: { m: 0.03, u: 1e-5 },
      // both checksums valid yet different: MOD 11-2 / MOD 31 catch every single keying error
      conflict: { m: 1e-4, u: 0.99 },
      different: { m: 0.03, u: 0.99 },
    },
    name: {
      exact: { m: 0.85, u: 1e-4 },
      fuzzy: { m: 0.1, u: 0.01 },
      otherCity: { m: 0.005, u: 0.01 },
      different: { m: 0.05, u: 0.99 },
    },
    birthDate: { exact: { m: 0.8, u: 1e-3 }, different: { m: 0.1, u: 0.99 } },
    // 'shared': the value agrees but the names do not (companies of one group share them)
    phone: {
      exact: { m: 0.5, u: 1e-4 },
      shared: { m: 0.5, u: 0.3 },
      different: { m: 0.4, u: 0.99 },
    },
    email: {
      exact: { m: 0.5, u: 1e-4 },
      shared: { m: 0.5, u: 0.2 },
      different: { m: 0.3, u: 0.99 },
    },
    address: {
      exact: { m: 0.6, u: 1e-4 },
      shared: { m: 0.6, u: 0.3 },
      street: { m: 0.1, u: 0.03 },
      different: { m: 0.3, u: 0.97 },
    },
  },
};
