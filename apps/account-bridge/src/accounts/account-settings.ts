import { DEFAULT_BALANCE_THRESHOLD, toMinor, type BalanceThreshold } from './money';

/**
 * The balance publishing threshold: ACCOUNT_BALANCE_MIN_ABSOLUTE (decimal, account currency,
 * default 100) and ACCOUNT_BALANCE_MIN_RELATIVE (fraction of the previous balance, default 0.01).
 * Invalid values stop the service at start.
 */
export function balanceThresholdFromEnv(env: NodeJS.ProcessEnv = process.env): BalanceThreshold {
  const absolute = env.ACCOUNT_BALANCE_MIN_ABSOLUTE;
  const relative = env.ACCOUNT_BALANCE_MIN_RELATIVE;
  const threshold = { ...DEFAULT_BALANCE_THRESHOLD };
  if (absolute !== undefined && absolute !== '') {
    if (!/^[0-9]{1,16}(\.[0-9]{1,4})?$/.test(absolute)) {
      throw new Error(
        `ACCOUNT_BALANCE_MIN_ABSOLUTE must be a non-negative decimal, got ${absolute}`,
      );
    }
    threshold.minAbsolute = toMinor(absolute);
  }
  if (relative !== undefined && relative !== '') {
    const value = Number(relative);
    if (!Number.isFinite(value) || value < 0 || value > 1) {
      throw new Error(
        `ACCOUNT_BALANCE_MIN_RELATIVE must be a fraction between 0 and 1, got ${relative}`,
      );
    }
    threshold.minRelative = value;
  }
  return threshold;
}
