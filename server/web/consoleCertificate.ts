import { X509Certificate } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { serverNames, writeSecret, type LocalCa } from '../pki/localCa';
import { x509 } from '../pki/x509';
import { tlsIdentity, type TlsIdentity } from './tlsIdentity';

/** The web port's subject: not `EWC controller`, so that this certificate is never one an AP accepts on the AP port. */
export const CONSOLE_CN = 'EWC console';

// Browsers refuse server certificates valid for more than 398 days (Apple for locally trusted CAs too).
const VALID_DAYS = 397;
// Renewed this long before it expires, at a start, a SIGHUP or the daily check.
const RENEW_DAYS = 30;
const DAY_MS = 86_400_000;

const CERT_FILE = 'https.crt';
const KEY_FILE = 'https.key';

function sameNames(certPem: string, hostNames: readonly string[]): boolean {
  const san = new x509.X509Certificate(certPem).getExtension(x509.SubjectAlternativeNameExtension);
  const have = new Set((san?.names.items ?? []).map((item) => `${item.type}:${item.value}`));
  const want = serverNames(hostNames).map((n) => `${n.type}:${n.value}`);
  return have.size === want.length && want.every((n) => have.has(n));
}

/** The stored certificate, when it is still this CA's, for these names, and not due for renewal. */
function reusable(dir: string, ca: LocalCa, hostNames: readonly string[], now: Date): TlsIdentity | null {
  try {
    const certPem = fs.readFileSync(path.join(dir, CERT_FILE), 'utf8');
    const identity = tlsIdentity(certPem, fs.readFileSync(path.join(dir, KEY_FILE), 'utf8'), 'the local CA');
    if (!new X509Certificate(certPem).verify(new X509Certificate(ca.caCertPem).publicKey)) return null;
    if (identity.notAfter.getTime() - now.getTime() < RENEW_DAYS * DAY_MS) return null;
    return sameNames(certPem, hostNames) ? identity : null;
  } catch {
    return null;
  }
}

/**
 * The HTTPS certificate from the console's local CA (the one that certifies the AP port) for the host
 * names the console answers to. It is kept in the pki folder, so its fingerprint stays the same from one
 * start to the next, and issued again when the names change, the CA changed or it nears its end.
 */
export async function localCaIdentity(ca: LocalCa, pkiDir: string, hostNames: readonly string[], now = new Date()): Promise<TlsIdentity> {
  const kept = reusable(pkiDir, ca, hostNames, now);
  if (kept) return kept;
  const issued = await ca.issueServerCertificate(CONSOLE_CN, hostNames, new Date(now.getTime() + VALID_DAYS * DAY_MS));
  writeSecret(path.join(pkiDir, KEY_FILE), issued.keyPem);
  fs.writeFileSync(path.join(pkiDir, CERT_FILE), issued.certPem);
  return tlsIdentity(issued.certPem, issued.keyPem, 'the local CA');
}
