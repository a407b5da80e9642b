import { toHalfWidth } from './text';

/** Lower-cases and trims an e-mail address; returns null if it has no usable local@domain form. */
export function normalizeEmail(raw: string | null | undefined): string | null {
  if (!raw) return null;
  const v = toHalfWidth(raw)
    .trim()
    .toLowerCase()
    .replace(/\s+/g, '')
    .replace(/^mailto:/, '');
  const m = /^([^@]+)@([a-z0-9.-]+\.[a-z]{2,})$/.exec(v);
  if (!m) return null;
  let local = m[1];
  const domain = m[2] === 'googlemail.com' ? 'gmail.com' : m[2];
  const plus = local.indexOf('+');
  if (plus > 0) local = local.slice(0, plus);
  return `${local}@${domain}`;
}
