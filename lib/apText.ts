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

/**
 * A software version as an AP reports one (`17.12.01.0.5`, `17.09.04a.0.6`): ASCII letters, digits, dots,
 * dashes and underscores, starting with a digit. Stricter than a name: the controller version an AP hosting
 * the controller reports becomes the console's own, which travels in HTTP headers (the firmware catalog's
 * `X-Current-Version`) and must not break them or read as something else.
 */
export function softwareVersion(minLength = 1) {
  const pattern = /^[0-9][0-9A-Za-z._-]*$/;
  return z
    .string()
    .max(64)
    .refine((value) => (value === '' ? minLength === 0 : pattern.test(value)), 'must be a version such as 17.12.01.0.5 (digits, letters, dots, dashes)');
}
