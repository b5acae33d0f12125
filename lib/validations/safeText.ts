// Characters that change how text is displayed or parsed without being seen: C0 and C1 controls (tab,
// CR, LF, NEL U+0085 included), DEL, the Unicode line and paragraph separators, and the bidirectional
// overrides, embeddings, isolates and marks that can make a line read differently from what it holds.
// Browser code imports this file: no node modules.
const INVISIBLE_CHARS = '\\u0000-\\u001f\\u007f-\\u009f\\u061c\\u200b-\\u200f\\u2028-\\u202e\\u2060-\\u2069\\ufeff';

/** Matches any character of {@link INVISIBLE_CHARS}. */
export const UNSAFE_TEXT = new RegExp(`[${INVISIBLE_CHARS}]`, 'u');
const UNSAFE_TEXT_GLOBAL = new RegExp(`[${INVISIBLE_CHARS}]`, 'gu');

/** True when the text holds a control, line-breaking or direction-changing character. */
export function hasUnsafeText(value: string): boolean {
  return UNSAFE_TEXT.test(value);
}

/** The text with each unsafe character shown as `\uXXXX`, so a terminal or spreadsheet shows it rather than obeys it. */
export function escapeUnsafeText(value: string): string {
  return value.replace(UNSAFE_TEXT_GLOBAL, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`);
}

/** A cell starting with one of these is a formula (or turns into one) in Excel, LibreOffice and Google Sheets. */
const FORMULA_START = /^[=+\-@\t\r]/;

/**
 * A field for a text export that someone may open in a spreadsheet: invisible characters escaped,
 * and a leading formula character neutralised with an apostrophe, as OWASP advises for CSV injection.
 */
export function spreadsheetSafe(value: string): string {
  return FORMULA_START.test(value) ? `'${escapeUnsafeText(value)}` : escapeUnsafeText(value);
}

/**
 * {@link spreadsheetSafe} for each space-separated word of a free-text field, since a spreadsheet that
 * splits the export on spaces makes every word a cell. The audit trail's own arrow (`a -> b`) is left as it is.
 */
export function spreadsheetSafeWords(text: string): string {
  return text
    .split(' ')
    .map((word) => (word === '->' ? word : spreadsheetSafe(word)))
    .join(' ');
}
