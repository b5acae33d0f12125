import { z } from 'zod';

/**
 * The console's one MAC module, on the page and on the server. The EWC writes a MAC as
 * `xxxx.xxxx.xxxx` (lower case); admins paste it from other tools as `xx:xx:…` or `xx-xx-…`, in
 * any case. Every route, the AP port and the filters go through these, so one AP has one name.
 *
 * - `normalizeMac(text)`: the EWC form, or null when the text is no MAC.
 * - `macSchema`: the same as a zod schema, for every boundary that takes a MAC.
 * - `macDigits(text)`: the hex digits alone, lower case: a simulated AP's storage folder, and how
 *   a search for part of a MAC matches whatever form it was typed in.
 */

const DOTTED = /^([0-9a-f]{4})\.([0-9a-f]{4})\.([0-9a-f]{4})$/;
const SEPARATED = /^([0-9a-f]{2})([:-])([0-9a-f]{2})\2([0-9a-f]{2})\2([0-9a-f]{2})\2([0-9a-f]{2})\2([0-9a-f]{2})$/;
const SEPARATORS = /[.:-]/g;

/** The EWC's `xxxx.xxxx.xxxx` form of a MAC given as `xxxx.xxxx.xxxx`, `xx:xx:…` or `xx-xx-…` (any case); null when it is not a MAC. */
export function normalizeMac(input: string): string | null {
  const text = input.trim().toLowerCase();
  if (DOTTED.test(text)) return text;
  const parts = SEPARATED.exec(text);
  if (!parts) return null;
  const hex = [parts[1], parts[3], parts[4], parts[5], parts[6], parts[7]].join('');
  return `${hex.slice(0, 4)}.${hex.slice(4, 8)}.${hex.slice(8)}`;
}

/** A MAC's characters without its separators, lower case: `70:F0:96:A1:4E:20` → `70f096a14e20`. */
export function macDigits(text: string): string {
  return text.replace(SEPARATORS, '').toLowerCase();
}

export const MAC_FORMS_MESSAGE = 'must be a MAC address like 2c5a.0f40.6920 or 2c:5a:0f:40:69:20';

/** A MAC as an AP or an admin gives it, normalised to `xxxx.xxxx.xxxx`. */
export const macSchema = z
  .string()
  .max(32)
  .transform((value, ctx) => {
    const mac = normalizeMac(value);
    if (mac === null) {
      ctx.addIssue({ code: 'custom', message: MAC_FORMS_MESSAGE });
      return z.NEVER;
    }
    return mac;
  });
