import type { FieldIssue } from '../../lib/imageDownloadProfile';
import { englishOf, type Sentence } from '../../lib/serverSentences';

/** Why a use case refused, as every adapter reads it: HTTP maps the code to a status, the CLI to `% Error:` lines, the scheduler to a log line. */
export const DOMAIN_ERROR_CODES = ['invalid', 'conflict', 'notFound', 'forbidden', 'locked', 'trustRequired', 'unavailable'] as const;
export type DomainErrorCode = (typeof DOMAIN_ERROR_CODES)[number];

export interface DomainError {
  code: DomainErrorCode;
  /** The sentence shown to the user, as it is (the CLI prints it after `% Error: `). */
  message: string;
  /** The fields a refused input got wrong (code `invalid`). */
  issues?: FieldIssue[];
  /** What the user needs to decide (the host key to trust, the backup images a predownload would replace). */
  details?: Record<string, unknown>;
  /** The message as one of the server's sentences (its code and parameters), for the page to say in its language. */
  sentence?: Sentence;
}

export type Result<T> = { ok: true; value: T } | { ok: false; error: DomainError };
export type Refused = { ok: false; error: DomainError };

export function ok<T>(value: T): Result<T> {
  return { ok: true, value };
}

/** A refusal; given a sentence, its message is the sentence's English and the sentence goes with it. */
export function refused(code: DomainErrorCode, message: string | Sentence, extra: Pick<DomainError, 'issues' | 'details'> = {}): Refused {
  if (typeof message === 'string') return { ok: false, error: { code, message, ...extra } };
  return { ok: false, error: { code, message: englishOf(message), ...extra, sentence: message } };
}

export function invalid(message: string, issues: FieldIssue[]): Refused {
  return refused('invalid', message, { issues });
}
