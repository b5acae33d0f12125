import { X509Certificate, createPrivateKey } from 'node:crypto';
import fs from 'node:fs';

/** What the HTTPS port presents: a key, its certificate (with any intermediates after it), and how to recognise it. */
export interface TlsIdentity {
  keyPem: string;
  certPem: string;
  /** SHA-256 of the certificate, as `openssl x509 -noout -fingerprint -sha256` and browsers show it (`AB:CD:…`). */
  fingerprint: string;
  notAfter: Date;
  /** Where it comes from, in the start-up and reload lines. */
  source: string;
}

export class TlsIdentityError extends Error {}

/** Checks that the key is the certificate's and that the certificate is valid now; the first certificate of a chain is the server's. */
export function tlsIdentity(certPem: string, keyPem: string, source: string, now = new Date()): TlsIdentity {
  let cert: X509Certificate;
  try {
    cert = new X509Certificate(certPem);
  } catch {
    throw new TlsIdentityError(`${source}: no PEM certificate could be read`);
  }
  let key;
  try {
    key = createPrivateKey(keyPem);
  } catch {
    throw new TlsIdentityError(`${source}: no PEM private key could be read (an encrypted key needs its passphrase removed)`);
  }
  if (!cert.checkPrivateKey(key)) throw new TlsIdentityError(`${source}: the private key is not the certificate's (fingerprint ${cert.fingerprint256})`);
  const notAfter = new Date(cert.validTo);
  if (notAfter <= now) throw new TlsIdentityError(`${source}: the certificate expired on ${notAfter.toISOString()} (fingerprint ${cert.fingerprint256})`);
  if (new Date(cert.validFrom) > now) throw new TlsIdentityError(`${source}: the certificate is not valid before ${new Date(cert.validFrom).toISOString()}`);
  return { keyPem, certPem, fingerprint: cert.fingerprint256, notAfter, source };
}

/** The admin's own certificate and key files (`EWC_TLS_CERT`, `EWC_TLS_KEY`). */
export function readTlsFiles(certFile: string, keyFile: string, now = new Date()): TlsIdentity {
  const read = (file: string, what: string) => {
    try {
      return fs.readFileSync(file, 'utf8');
    } catch (error) {
      throw new TlsIdentityError(`${what} ${file} cannot be read: ${(error as NodeJS.ErrnoException).code ?? String(error)}`);
    }
  };
  return tlsIdentity(read(certFile, 'EWC_TLS_CERT'), read(keyFile, 'EWC_TLS_KEY'), `${certFile} and ${keyFile}`, now);
}
