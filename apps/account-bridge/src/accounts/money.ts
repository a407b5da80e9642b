/**
 * Exact decimal arithmetic for money: amounts are carried as bigint in ten-thousandths (the
 * scale of numeric(20,4)), never as floats.
 */
export const MONEY_SCALE = 4;
const FACTOR = 10n ** BigInt(MONEY_SCALE);

/** '15230.55' -> 152305500n. Accepts what the contracts' Money pattern accepts (and numeric text). */
export function toMinor(value: string): bigint {
  const match = /^(-?)(\d+)(?:\.(\d+))?$/.exec(value.trim());
  if (!match) throw new Error(`not a decimal amount: ${value}`);
  const [, sign, whole, fraction = ''] = match;
  if (fraction.length > MONEY_SCALE && /[1-9]/.test(fraction.slice(MONEY_SCALE))) {
    throw new Error(`more than ${MONEY_SCALE} decimal places: ${value}`);
  }
  const minor =
    BigInt(whole) * FACTOR + BigInt(fraction.slice(0, MONEY_SCALE).padEnd(MONEY_SCALE, '0'));
  return sign === '-' ? -minor : minor;
}

/** 152305500n -> '15230.5500' */
export function fromMinor(minor: bigint): string {
  const negative = minor < 0n;
  const abs = negative ? -minor : minor;
  const whole = abs / FACTOR;
  const fraction = (abs % FACTOR).toString().padStart(MONEY_SCALE, '0');
  return `${negative ? '-' : ''}${whole}.${fraction}`;
}

/** Normalises a decimal string to 4 places: '1.5' -> '1.5000'. */
export function normaliseMoney(value: string): string {
  return fromMinor(toMinor(value));
}

export interface BalanceThreshold {
  /** Smallest absolute move (in ten-thousandths of the account currency) that is published. */
  minAbsolute: bigint;
  /** Smallest move relative to the previously published balance (0.01 = 1%). */
  minRelative: number;
}

/** 100.00 in the account currency, or 1% of the previously published balance. */
export const DEFAULT_BALANCE_THRESHOLD: BalanceThreshold = {
  minAbsolute: toMinor('100'),
  minRelative: 0.01,
};

/**
 * True when the balance moved enough since the last published one to be published: at least the
 * absolute minimum, or at least the relative minimum of a non-zero previous balance.
 */
export function isSignificantMove(
  previous: bigint,
  current: bigint,
  threshold: BalanceThreshold,
): boolean {
  const delta = current > previous ? current - previous : previous - current;
  if (delta === 0n) return false;
  if (delta >= threshold.minAbsolute) return true;
  if (previous === 0n) return false;
  const base = previous < 0n ? -previous : previous;
  // delta / base >= minRelative, in integers (relative minimum to 1e-6)
  return delta * 1_000_000n >= base * BigInt(Math.round(threshold.minRelative * 1_000_000));
}
