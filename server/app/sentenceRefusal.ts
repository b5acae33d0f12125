import type { FieldIssue } from '../../lib/imageDownloadProfile';
import { englishOf, type Sentence } from '../../lib/serverSentences';
import { refused, type DomainErrorCode, type Refused } from './result';

/** A refusal said as a server sentence: its English as the message, its code and parameters beside it, as the page reads them. */
export function refusedSaying(code: DomainErrorCode, said: Sentence, issues?: FieldIssue[]): Refused {
  const coded = Object.keys(said.params).length > 0 ? { code: said.code, params: said.params } : { code: said.code };
  return refused(code, englishOf(said), { ...(issues ? { issues } : {}), details: coded });
}
