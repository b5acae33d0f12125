import { refusalBody } from '../../lib/serverSentences';
import type { DomainError, DomainErrorCode, Result } from '../app/result';
import type { ApiResult } from './apiResult';

// The one place a use case's refusal becomes an HTTP status. A host key or bundle to trust first is a
// conflict with the request as sent (409, as before the application layer); an outside server that did
// not answer is a bad gateway.
const STATUS: Readonly<Record<DomainErrorCode, number>> = {
  invalid: 400,
  conflict: 409,
  notFound: 404,
  forbidden: 403,
  locked: 423,
  trustRequired: 409,
  unavailable: 502,
};

/** A refusal as the API answers it: `{ error, issues?, ...details }`, then `code` and `params` when it is one of the server's sentences. */
export function refusalResult(error: DomainError): ApiResult {
  const extra = { ...(error.issues ? { issues: error.issues } : {}), ...error.details };
  return { status: STATUS[error.code], body: error.sentence ? refusalBody(error.sentence, extra) : { error: error.message, ...extra } };
}

/** A use case's answer: `status` and the body `toBody` makes of its value, or its refusal. */
export function answer<T>(result: Result<T>, status: number, toBody: (value: T) => unknown = (value) => value): ApiResult {
  return result.ok ? { status, body: toBody(result.value) } : refusalResult(result.error);
}
