import { z } from 'zod';
import { hasUnsafeText } from './validations/safeText';

/**
 * What an AP may say. Every string an AP sends is untrusted: a newline in a name or a log
 * line would forge a second line in the log view, and bidi overrides make a name read
 * differently from what it is. Names are refused; log lines are escaped to one line, by the
 * rule every outside text follows (lib/logText.ts), over the same characters (lib/validations/safeText.ts).
 */

/** A printable, length-capped string: what a name, model or version from an AP must be. */
export function apString(maxLength: number, minLength = 1) {
  return z
    .string()
    .min(minLength)
    .max(maxLength)
    .refine((value) => !hasUnsafeText(value), 'must not contain control or bidi characters');
}

const DOTTED = /^([0-9a-f]{4})\.([0-9a-f]{4})\.([0-9a-f]{4})$/;
const SEPARATED = /^([0-9a-f]{2})([:-])([0-9a-f]{2})\2([0-9a-f]{2})\2([0-9a-f]{2})\2([0-9a-f]{2})\2([0-9a-f]{2})$/;

/** The EWC's `xxxx.xxxx.xxxx` form of a MAC given as `xxxx.xxxx.xxxx`, `xx:xx:…` or `xx-xx-…` (any case); null when it is not a MAC. */
export function normalizeMac(input: string): string | null {
  const text = input.trim().toLowerCase();
  if (DOTTED.test(text)) return text;
  const parts = SEPARATED.exec(text);
  if (!parts) return null;
  const hex = [parts[1], parts[3], parts[4], parts[5], parts[6], parts[7]].join('');
  return `${hex.slice(0, 4)}.${hex.slice(4, 8)}.${hex.slice(8)}`;
}

/** A MAC as an AP or an admin gives it, normalised to `xxxx.xxxx.xxxx`. */
export const macSchema = z
  .string()
  .max(32)
  .transform((value, ctx) => {
    const mac = normalizeMac(value);
    if (mac === null) {
      ctx.addIssue({ code: 'custom', message: 'must be a MAC address like 2c5a.0f40.6920 or 2c:5a:0f:40:69:20' });
      return z.NEVER;
    }
    return mac;
  });
