import type { ApTrust } from '../../pki/apTrust';
import type { Executor } from '../../store/store';
import type { AuditLog } from '../audit/auditLog';

/** What the AP authorization use cases need: the trust list, the database its changes and their audit lines commit in. */
export interface ApAuthorizationDeps {
  db: Executor;
  trust: ApTrust;
  audit: AuditLog;
}
