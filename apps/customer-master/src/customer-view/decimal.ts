/** Exact sums of decimal strings (balances), without float rounding. */
export function sumDecimals(values: string[]): string {
  const scale = Math.max(0, ...values.map((v) => (v.split('.')[1] ?? '').length));
  const factor = 10n ** BigInt(scale);
  let total = 0n;
  for (const v of values) {
    const negative = v.startsWith('-');
    const [int, frac = ''] = v.replace(/^[-+]/, '').split('.');
    const units =
      BigInt(int || '0') * factor + BigInt((frac + '0'.repeat(scale)).slice(0, scale) || '0');
    total += negative ? -units : units;
  }
  const negative = total < 0n;
  const abs = negative ? -total : total;
  const int = abs / factor;
  const frac = scale > 0 ? `.${(abs % factor).toString().padStart(scale, '0')}` : '';
  return `${negative ? '-' : ''}${int.toString()}${frac}`;
}
