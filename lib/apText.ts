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
