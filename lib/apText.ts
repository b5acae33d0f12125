import { z } from 'zod';

/**
 * What an AP may say. Every string an AP sends is untrusted: a newline in a name or a log
 * line would forge a second line in the log view, and bidi overrides make a name read
 * differently from what it is. Names are refused; log lines are escaped to one line.
 */

// C0 and C1 controls, DEL, and the Unicode bidi embeddings, overrides, isolates and marks.
const UNPRINTABLE = /[\u0000-\u001f\u007f-\u009f\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069]/;
const UNPRINTABLE_ALL = new RegExp(UNPRINTABLE.source, 'g');

const NAMED_ESCAPES: Record<string, string> = { '\n': '\\n', '\r': '\\r', '\t': '\\t' };

/** The text with every control or bidi character written as a visible escape (`\n`, `\u202e`), so it stays one line. */
export function escapeApText(text: string): string {
  return text.replace(UNPRINTABLE_ALL, (c) => NAMED_ESCAPES[c] ?? `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`);
}

/** A log line from an AP: escaped, then cut at `maxLength` characters with a visible mark. */
export function apLogLine(text: string, maxLength: number): string {
  const escaped = escapeApText(text);
  return escaped.length <= maxLength ? escaped : `${escaped.slice(0, maxLength)}… [${escaped.length - maxLength} more characters cut]`;
}

/** A printable, length-capped string: what a name, model or version from an AP must be. */
export function apString(maxLength: number, minLength = 1) {
  return z
    .string()
    .min(minLength)
    .max(maxLength)
    .refine((value) => !UNPRINTABLE.test(value), 'must not contain control or bidi characters');
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
