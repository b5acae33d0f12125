// The console's password policy, applied to every account (admins included) and to EWC_ADMIN_PASSWORD.
// Browser code imports this file: no node modules. The language packages are imported as types only
// here; their data (about 1.5 MB of word lists) arrives through loadPasswordDictionaries() on the page
// and through server/auth/passwordDictionaries.ts on the server.
import { ZxcvbnFactory } from '@zxcvbn-ts/core';
import type * as CommonLanguage from '@zxcvbn-ts/language-common';
import type * as EnglishLanguage from '@zxcvbn-ts/language-en';
import { FIELD_MESSAGES } from './fieldMessages';
import { weakPasswordMessage } from './weakPasswordMessage';

export const MIN_PASSWORD_LENGTH = 12;
// scrypt accepts any length; the cap only keeps a request from making the server hash megabytes.
export const MAX_PASSWORD_LENGTH = 1024;
/**
 * zxcvbn's scale: 4 is "very unguessable", at least 10^10 guesses. Its usual minimum, 3 (10^8), still
 * lets `Summer2024!!` through (zxcvbn reads `2024!!` as six random characters), and these accounts run
 * a controller: 4.
 */
export const MIN_PASSWORD_SCORE = 4;
/** Words a guesser tries first on this product, whatever the dictionaries say. */
export const PRODUCT_WORDS = ['cisco', 'ewc', 'admin', 'wireless'] as const;

export interface PasswordDictionaries {
  common: Pick<typeof CommonLanguage, 'dictionary' | 'adjacencyGraphs'>;
  english: Pick<typeof EnglishLanguage, 'dictionary' | 'translations'>;
}

let dictionaries: PasswordDictionaries | null = null;
let estimator: ZxcvbnFactory | null = null;
let loading: Promise<void> | null = null;

/** Hands the policy its dictionaries: the server does it once, synchronously, as it starts. */
export function usePasswordDictionaries(given: PasswordDictionaries): void {
  dictionaries ??= given;
}

/** Loads the dictionaries on demand (a chunk of their own in the page's bundle); resolves at once once loaded. */
export function loadPasswordDictionaries(): Promise<void> {
  if (dictionaries) return Promise.resolve();
  loading ??= Promise.all([import('@zxcvbn-ts/language-common'), import('@zxcvbn-ts/language-en')]).then(([common, english]) => usePasswordDictionaries({ common, english }));
  return loading;
}

function strengthEstimator(): ZxcvbnFactory {
  if (!dictionaries) throw new Error('The password dictionaries are not loaded yet: await loadPasswordDictionaries() first');
  estimator ??= new ZxcvbnFactory({
    dictionary: { ...dictionaries.common.dictionary, ...dictionaries.english.dictionary },
    graphs: dictionaries.common.adjacencyGraphs,
    translations: dictionaries.english.translations,
  });
  return estimator;
}

/**
 * Why a password is refused, or null when it is acceptable: 12 to 1024 characters, and a zxcvbn
 * score of at least 4 against its common-password and English dictionaries, with the user name and
 * the product's words as the guesser's first tries. The refusal carries the estimator's own warning
 * and suggestions, which is what the form shows under the field.
 */
export function passwordPolicyProblem(password: string, username?: string): string | null {
  if (password.length < MIN_PASSWORD_LENGTH) return FIELD_MESSAGES.passwordTooShort;
  if (password.length > MAX_PASSWORD_LENGTH) return FIELD_MESSAGES.passwordTooLong;
  const userInputs: string[] = [...PRODUCT_WORDS];
  if (username) userInputs.push(username);
  const { score, feedback } = strengthEstimator().check(password, userInputs);
  if (score >= MIN_PASSWORD_SCORE) return null;
  const advice = [feedback.warning, ...feedback.suggestions].filter((text): text is string => !!text);
  if (advice.length === 0) advice.push('Add more words that are less common.');
  return weakPasswordMessage(score, MIN_PASSWORD_SCORE, advice.join(' '));
}
