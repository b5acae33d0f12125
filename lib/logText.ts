import { UNSAFE_TEXT } from './validations/safeText';

/**
 * The one rule for text from outside the console (an AP, a firmware catalog, an image server, an
 * HTTPS server) that ends up in a log line, an AP's row or a message: every control, line-break or
 * text-direction character becomes a visible escape (`\n`, `\u202e`), so the text stays one line that
 * reads as what it holds. A forged `*Feb  1 17:05:37.108: %FAKE-5-…` line cannot start inside it.
 * Escaping is idempotent: the output holds none of the characters it escapes.
 */
const UNSAFE_GLOBAL = new RegExp(UNSAFE_TEXT.source, 'gu');
const NAMED_ESCAPES: Record<string, string> = { '\n': '\\n', '\r': '\\r', '\t': '\\t' };

export function escapeLogText(text: string): string {
  return text.replace(UNSAFE_GLOBAL, (c) => NAMED_ESCAPES[c] ?? `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`);
}

/** Outside text escaped, then cut at `maxLength` characters with a visible mark. */
export function logTextCut(text: string, maxLength: number): string {
  const escaped = escapeLogText(text);
  return escaped.length <= maxLength ? escaped : `${escaped.slice(0, maxLength)}… [${escaped.length - maxLength} more characters cut]`;
}
