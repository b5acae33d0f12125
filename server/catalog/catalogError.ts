import { logTextCut } from '../../lib/logText';

/** What the admin sees of a certificate that could not be verified, before trusting it once. */
export interface SeenCertificate {
  fingerprint: string;
  subject: string;
  issuer: string;
}

/** `refused`: the console's own rules refuse the request before it is made (an address, an origin, a size). */
export type CatalogErrorCode = 'unreachable' | 'timeout' | 'certificate' | 'auth' | 'not-found' | 'protocol' | 'integrity' | 'refused' | 'cancelled';

// A reason may carry a catalog's own words; it ends up in a log line, a row and the check panel.
const REASON_MAX = 300;

/** A failed catalog or download request; `reason` is worded as the controller's syslog line ends, any outside text in it escaped. */
export class CatalogError extends Error {
  readonly reason: string;

  constructor(
    readonly code: CatalogErrorCode,
    reason: string,
    readonly certificate: SeenCertificate | null = null,
  ) {
    const shown = logTextCut(reason, REASON_MAX);
    super(shown);
    this.reason = shown;
  }

  /** Worth trying again later: a dropped link or a damaged download, not a refusal. */
  get retryable(): boolean {
    return this.code === 'unreachable' || this.code === 'timeout' || this.code === 'integrity' || this.code === 'protocol';
  }
}
