/** What the admin sees of a certificate that could not be verified, before trusting it once. */
export interface SeenCertificate {
  fingerprint: string;
  subject: string;
  issuer: string;
}

export type CatalogErrorCode = 'unreachable' | 'timeout' | 'certificate' | 'auth' | 'not-found' | 'protocol' | 'integrity' | 'cancelled';

/** A failed catalog or download request; `reason` is worded as the controller's syslog line ends. */
export class CatalogError extends Error {
  constructor(
    readonly code: CatalogErrorCode,
    readonly reason: string,
    readonly certificate: SeenCertificate | null = null,
  ) {
    super(reason);
  }

  /** Worth trying again later: a dropped link or a damaged download, not a refusal. */
  get retryable(): boolean {
    return this.code === 'unreachable' || this.code === 'timeout' || this.code === 'integrity' || this.code === 'protocol';
  }
}
