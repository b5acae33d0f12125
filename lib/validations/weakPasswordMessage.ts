// Browser code imports this file (the form fields): nothing else, so the strength estimator stays in its own chunk.

/**
 * The refusal of a password that is long enough but guessable: its zxcvbn score, the score needed, then the
 * estimator's own advice. The API answers it in English; the page says its first sentence in its own language.
 */
export function weakPasswordMessage(score: number, needed: number, advice: string): string {
  return `Password is too easy to guess (strength ${score} of 4, ${needed} needed). ${advice}`;
}

const WEAK_PASSWORD = /^Password is too easy to guess \(strength (\d) of 4, (\d) needed\)\. ([\s\S]*)$/;

/** The parts of a {@link weakPasswordMessage}, or null for any other message. */
export function parseWeakPasswordMessage(message: string): { score: number; needed: number; advice: string } | null {
  const match = WEAK_PASSWORD.exec(message);
  return match ? { score: Number(match[1]), needed: Number(match[2]), advice: match[3] ?? '' } : null;
}
