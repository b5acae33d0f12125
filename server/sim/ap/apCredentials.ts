import { X509Certificate } from 'node:crypto';
import fs from 'node:fs';
import https from 'node:https';
import path from 'node:path';
import type { PeerCertificate } from 'node:tls';
import { enrolmentReplySchema } from '../../../lib/apAuthorization';
import { ENROL_PATH } from '../../../lib/capwapEvents';
import { CONTROLLER_CN } from '../../pki/localCa';
import { EC_ALGORITHM, generateKeyPair, privateKeyToPem, x509 } from '../../pki/x509';

/** What an AP needs to reach its controller: the controller's CA, and a token for its first enrolment. */
export interface ControllerTrust {
  caCertPem: string;
  /** The fleet's join token or a one-time enrolment token; used once, when the AP has no certificate yet. */
  enrolmentToken: string | null;
}

export interface ApCredentials {
  keyPem: string;
  certPem: string;
  caCertPem: string;
}

/** Accepts the controller's certificate only (the CA pin makes it ours; the name keeps an AP's own certificate from posing as the controller). */
export function checkControllerIdentity(_host: string, cert: PeerCertificate): Error | undefined {
  return cert.subject?.CN === CONTROLLER_CN ? undefined : new Error(`The AP port presented "${cert.subject?.CN}", not the controller's certificate`);
}

export class EnrolmentError extends Error {
  constructor(
    message: string,
    /** A connection reset or refused while the AP port is busy: worth another try after a pause. */
    readonly transient = false,
  ) {
    super(message);
  }
}

// Network errors of a busy AP port (thousands of APs enrolling at once overflow its accept queue).
const TRANSIENT_CODES = new Set(['ECONNRESET', 'ECONNREFUSED', 'ETIMEDOUT', 'EPIPE']);
// Controllers that all stay unreachable this many rounds are reported, not retried for ever.
const MAX_TRANSIENT_TRIES = 8;

/** Exponential backoff with jitter, 0.25 s to 10 s: thousands of APs told to wait do not come back all at once. */
export function backoffMs(attempt: number): number {
  return Math.min(10_000, 500 * 2 ** attempt) * (0.5 + Math.random() / 2);
}

function issuedBy(certPem: string, caCertPem: string): boolean {
  try {
    const ca = new X509Certificate(caCertPem);
    return new X509Certificate(certPem).verify(ca.publicKey);
  } catch {
    return false;
  }
}

/**
 * The AP's key and certificate, kept in its storage folder (the key with mode 0600). On the
 * first start the AP makes a key, signs a CSR for its MAC and enrols with the token; later
 * starts reuse the certificate.
 */
export async function ensureApCredentials(storageDir: string, mac: string, controllerUrls: readonly string[], trust: ControllerTrust): Promise<ApCredentials> {
  const keyFile = path.join(storageDir, 'ap.key');
  const certFile = path.join(storageDir, 'ap.crt');
  if (fs.existsSync(keyFile) && fs.existsSync(certFile)) {
    const certPem = fs.readFileSync(certFile, 'utf8');
    // A certificate from another CA (the console's data folder was replaced) would only be refused: enrol again.
    if (issuedBy(certPem, trust.caCertPem)) return { keyPem: fs.readFileSync(keyFile, 'utf8'), certPem, caCertPem: trust.caCertPem };
  }
  if (!trust.enrolmentToken) throw new EnrolmentError(`AP ${mac} has no certificate and no enrolment token (EWC_JOIN_TOKEN)`);
  const keys = await generateKeyPair();
  const csr = await x509.Pkcs10CertificateRequestGenerator.create({ name: `CN=${mac}`, keys, signingAlgorithm: EC_ALGORITHM });
  const request = { mac, token: trust.enrolmentToken, csr: csr.toString('pem') };
  let reply: { certificate: string } | null = null;
  // The AP port takes a bounded number of enrolments per second: a large fleet waits its turn, backing off.
  // Each round tries the controllers in order, primary first: every node of one database shares the CA and
  // the join token, so the first that answers enrols the AP.
  for (let attempt = 0, transientTries = 0; !reply; attempt++) {
    let unreachable = true;
    let lastError: unknown = null;
    for (const controllerUrl of controllerUrls) {
      try {
        reply = await postEnrolment(controllerUrl, trust.caCertPem, request);
        break;
      } catch (error) {
        const busy = error instanceof EnrolmentError && error.message.startsWith('Too many enrolments');
        const transient = error instanceof EnrolmentError && error.transient;
        if (!busy && !transient) throw error;
        if (busy) unreachable = false;
        lastError = error;
      }
    }
    if (reply) break;
    if (unreachable && ++transientTries >= MAX_TRANSIENT_TRIES) throw lastError;
    await new Promise((resolve) => setTimeout(resolve, backoffMs(attempt)));
  }
  fs.mkdirSync(storageDir, { recursive: true });
  fs.writeFileSync(keyFile, await privateKeyToPem(keys.privateKey), { mode: 0o600 });
  fs.writeFileSync(certFile, reply.certificate);
  return { keyPem: fs.readFileSync(keyFile, 'utf8'), certPem: reply.certificate, caCertPem: trust.caCertPem };
}

function postEnrolment(controllerUrl: string, caCertPem: string, body: { mac: string; token: string; csr: string }) {
  const payload = JSON.stringify(body);
  return new Promise<{ certificate: string }>((resolve, reject) => {
    const request = https.request(
      new URL(ENROL_PATH, controllerUrl),
      { method: 'POST', ca: caCertPem, checkServerIdentity: checkControllerIdentity, headers: { 'content-type': 'application/json', 'content-length': Buffer.byteLength(payload) } },
      (response) => {
        const chunks: Buffer[] = [];
        response.on('data', (chunk: Buffer) => chunks.push(chunk));
        response.on('end', () => {
          let json: unknown;
          try {
            json = JSON.parse(Buffer.concat(chunks).toString('utf8'));
          } catch {
            return reject(new EnrolmentError(`Enrolment failed: HTTP ${response.statusCode} without JSON`));
          }
          const parsed = enrolmentReplySchema.safeParse(json);
          if (response.statusCode === 201 && parsed.success) return resolve(parsed.data);
          const error = typeof json === 'object' && json && 'error' in json ? String((json as { error: unknown }).error) : `HTTP ${response.statusCode}`;
          reject(new EnrolmentError(error));
        });
      },
    );
    request.on('error', (error: NodeJS.ErrnoException) =>
      reject(new EnrolmentError(`Enrolment failed: ${error.message}`, TRANSIENT_CODES.has(error.code ?? '') || error.message === 'socket hang up')),
    );
    request.end(payload);
  });
}

/** How long to wait before joining again after a refusal worth retrying, or null when retrying would not help. */
export function retryDelayFor(message: string, attempt: number): number | null {
  if (message.includes('waiting for approval')) return 3000;
  if (message.includes('too many joins')) return backoffMs(attempt);
  return null;
}
