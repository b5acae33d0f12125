import { englishOf, type Sentence } from '../../../lib/serverSentences';
import type { FieldIssue } from '../../../lib/imageDownloadProfile';
import type { ApTrust } from '../../pki/apTrust';
import type { Executor } from '../../store/store';
import type { AuditLog } from '../audit/auditLog';
import { refused, type DomainErrorCode, type Refused } from '../result';

/** What the AP authorization use cases need: the trust list, the database its changes and their audit lines commit in. */
export interface ApAuthorizationDeps {
  db: Executor;
  trust: ApTrust;
  audit: AuditLog;
}

/** A refusal said as a server sentence: its English as the message, its code and parameters beside it, as the page reads them. */
export function refusedSaying(code: DomainErrorCode, said: Sentence, issues?: FieldIssue[]): Refused {
  const coded = Object.keys(said.params).length > 0 ? { code: said.code, params: said.params } : { code: said.code };
  return refused(code, englishOf(said), { ...(issues ? { issues } : {}), details: coded });
}
