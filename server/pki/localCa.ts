import { X509Certificate, createPublicKey, randomBytes } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { EC_ALGORITHM, generateKeyPair, importPrivateKey, privateKeyToPem, x509 } from './x509';
import { addressClass, parseIp } from '../../lib/netAddress';

/** The subject of the controller's own TLS certificate: APs accept no other server, not even another AP's certificate. */
export const CONTROLLER_CN = 'EWC controller';
const CA_NAME = 'CN=EWC local CA, O=EWC Software Upgrade console';
const CA_YEARS = 20;
const CERT_YEARS = 10;

export interface IssuedCertificate {
  pem: string;
  /** Upper-case hex, as Node's TLS reports a peer's serial. */
  serial: string;
  fingerprint: string;
  expiresAt: string;
}

export class CertificateRequestError extends Error {}

// The AP keys this CA certifies: ECDSA on the curves TLS 1.3 and the controller use, RSA of NIST's 112-bit strength or more.
const EC_CURVES = new Set(['prime256v1', 'secp384r1']);
const MIN_RSA_BITS = 2048;

/** Why the key of a CSR is too weak or of a kind this CA does not certify, or null. */
function requestKeyProblem(spki: ArrayBuffer): string | null {
  let key;
  try {
    key = createPublicKey({ key: Buffer.from(spki), format: 'der', type: 'spki' });
  } catch {
    return 'the certificate request holds no readable public key';
  }
  const details = key.asymmetricKeyDetails ?? {};
  const wanted = `ECDSA P-256 or P-384, or RSA of ${MIN_RSA_BITS} bits or more`;
  if (key.asymmetricKeyType === 'ec') {
    const curve = details.namedCurve ?? 'unknown';
    return EC_CURVES.has(curve) ? null : `the certificate request's key is ECDSA on ${curve}; this controller certifies ${wanted}`;
  }
  if (key.asymmetricKeyType === 'rsa') {
    const bits = details.modulusLength ?? 0;
    return bits >= MIN_RSA_BITS ? null : `the certificate request's key is RSA of ${bits} bits; this controller certifies ${wanted}`;
  }
  return `the certificate request's key is ${key.asymmetricKeyType ?? 'of an unknown type'}; this controller certifies ${wanted}`;
}

function yearsFromNow(years: number): Date {
  const date = new Date();
  date.setFullYear(date.getFullYear() + years);
  return date;
}

/** 16 random bytes, positive and without a leading zero byte, so the serial reads back exactly as issued. */
function newSerial(): string {
  const bytes = randomBytes(16);
  bytes[0] = 0x40 | (bytes[0] & 0x3f);
  return bytes.toString('hex').toUpperCase();
}

function describe(pem: string): IssuedCertificate {
  const cert = new X509Certificate(pem);
  return { pem, serial: cert.serialNumber.toUpperCase(), fingerprint: cert.fingerprint256, expiresAt: new Date(cert.validTo).toISOString() };
}

/** A private key file: mode 0600 whatever the umask, and tightened if it existed with looser bits. */
export function writeSecret(file: string, text: string): void {
  fs.writeFileSync(file, text, { mode: 0o600 });
  fs.chmodSync(file, 0o600);
}

export interface ServerCertificate {
  keyPem: string;
  certPem: string;
}

/** The Subject Alternative Names of a server certificate: an IP address is an IP SAN unless it names no host (0.0.0.0, ::), anything else a DNS name. */
export function serverNames(hostNames: readonly string[]): { type: 'ip' | 'dns'; value: string }[] {
  const ips = new Set(['127.0.0.1', '::1']);
  const dns = new Set(['localhost']);
  for (const name of hostNames) {
    const ip = parseIp(name);
    if (!ip) dns.add(name.toLowerCase());
    else if (addressClass(ip) !== 'unspecified') ips.add(ip.text);
  }
  return [...[...ips].map((value) => ({ type: 'ip' as const, value })), ...[...dns].map((value) => ({ type: 'dns' as const, value }))];
}

async function issueServerCertificate(caKey: CryptoKey, caCert: x509.X509Certificate, commonName: string, hostNames: readonly string[], notAfter: Date): Promise<ServerCertificate> {
  const keys = await generateKeyPair();
  const cert = await x509.X509CertificateGenerator.create({
    serialNumber: newSerial(),
    subject: `CN=${commonName}`,
    issuer: caCert.subject,
    notBefore: new Date(),
    notAfter,
    signingKey: caKey,
    publicKey: keys.publicKey,
    signingAlgorithm: EC_ALGORITHM,
    extensions: [
      new x509.BasicConstraintsExtension(false, undefined, true),
      new x509.ExtendedKeyUsageExtension([x509.ExtendedKeyUsage.serverAuth], true),
      new x509.SubjectAlternativeNameExtension(serverNames(hostNames)),
    ],
  });
  return { keyPem: await privateKeyToPem(keys.privateKey), certPem: cert.toString('pem') };
}

export const CA_KEY_FILE = 'ca.key';
export const CA_CERT_FILE = 'ca.crt';

/** A CA's private key and self-signed certificate, PEM. */
export interface CaMaterial {
  keyPem: string;
  certPem: string;
}

/** The CA a data folder holds (`ca.key`, `ca.crt`), or null when it holds none yet. */
export function readCaFiles(dir: string): CaMaterial | null {
  const keyFile = path.join(dir, CA_KEY_FILE);
  const certFile = path.join(dir, CA_CERT_FILE);
  if (!fs.existsSync(keyFile) || !fs.existsSync(certFile)) return null;
  return { keyPem: fs.readFileSync(keyFile, 'utf8'), certPem: fs.readFileSync(certFile, 'utf8') };
}

/** A new CA: its key and its self-signed certificate. */
export async function createCaMaterial(): Promise<CaMaterial> {
  const keys = await generateKeyPair();
  const caCert = await x509.X509CertificateGenerator.createSelfSigned({
    serialNumber: newSerial(),
    name: CA_NAME,
    notBefore: new Date(),
    notAfter: yearsFromNow(CA_YEARS),
    keys,
    signingAlgorithm: EC_ALGORITHM,
    extensions: [
      new x509.BasicConstraintsExtension(true, 0, true),
      new x509.KeyUsagesExtension(x509.KeyUsageFlags.keyCertSign | x509.KeyUsageFlags.cRLSign, true),
      await x509.SubjectKeyIdentifierExtension.create(keys.publicKey),
    ],
  });
  return { keyPem: await privateKeyToPem(keys.privateKey), certPem: caCert.toString('pem') };
}

/** A CSR that `LocalCa.readRequest` parsed and checked: a PEM PKCS#10 request, a strong key, a signature that verifies. */
export type CheckedRequest = x509.Pkcs10CertificateRequest & { readonly __checked: unique symbol };

/**
 * The console's own certificate authority, like the locally significant certificates a
 * Cisco controller's site CA issues: it certifies the controller's AP port and one
 * certificate per AP, bound to the AP's MAC in the subject CN. Its key stays in the data
 * folder (mode 0600) and never leaves it; on a shared PostgreSQL database it is kept there instead,
 * sealed with the secret key (sharedTrust.ts), and no node writes it to its folder.
 */
export class LocalCa {
  private constructor(
    private readonly caKey: CryptoKey,
    private readonly caCert: x509.X509Certificate,
    /** The AP port's certificate, issued for this start. */
    readonly controllerKeyPem: string,
    readonly controllerCertPem: string,
  ) {}

  get caCertPem(): string {
    return this.caCert.toString('pem');
  }

  /** Loads the CA from `dir`, creating it on the first start, and issues the controller's certificate for this start. */
  static async open(dir: string, hostNames: string[]): Promise<LocalCa> {
    fs.mkdirSync(dir, { recursive: true, mode: 0o700 });
    let material = readCaFiles(dir);
    if (!material) {
      material = await createCaMaterial();
      writeSecret(path.join(dir, CA_KEY_FILE), material.keyPem);
      fs.writeFileSync(path.join(dir, CA_CERT_FILE), material.certPem);
    }
    return LocalCa.fromMaterial(material, hostNames);
  }

  /** The CA of this key and certificate (a data folder's, or the one the nodes on a shared database hold), with the controller's certificate for this start. */
  static async fromMaterial(material: CaMaterial, hostNames: string[]): Promise<LocalCa> {
    const caKey = await importPrivateKey(material.keyPem);
    const caCert = new x509.X509Certificate(material.certPem);
    // APs accept no other subject than the controller's: not another AP's certificate, not the web port's.
    const controller = await issueServerCertificate(caKey, caCert, CONTROLLER_CN, hostNames, yearsFromNow(CERT_YEARS));
    return new LocalCa(caKey, caCert, controller.keyPem, controller.certPem);
  }

  /** A TLS server certificate from this CA, with a fresh key, for these host names and the loopback names. */
  issueServerCertificate(commonName: string, hostNames: readonly string[], notAfter: Date): Promise<ServerCertificate> {
    return issueServerCertificate(this.caKey, this.caCert, commonName, hostNames, notAfter);
  }

  /** The CSR, parsed, once its signature proves the AP holds the key; throws a CertificateRequestError otherwise. */
  static async readRequest(csrPem: string): Promise<CheckedRequest> {
    let csr: x509.Pkcs10CertificateRequest;
    try {
      csr = new x509.Pkcs10CertificateRequest(csrPem);
    } catch {
      throw new CertificateRequestError('the certificate request is not a PEM PKCS#10 CSR');
    }
    const weak = requestKeyProblem(csr.publicKey.rawData);
    if (weak) throw new CertificateRequestError(weak);
    if (!(await csr.verify().catch(() => false))) throw new CertificateRequestError('the certificate request signature does not verify');
    return csr as CheckedRequest;
  }

  /** A client certificate for the AP with this MAC, for the public key of a CSR the AP signed (proof it holds the key). */
  async issueApCertificate(mac: string, request: string | CheckedRequest): Promise<IssuedCertificate> {
    // A request the caller already read and checked is not parsed and verified again: with thousands of
    // APs enrolling at once, that work on the console's thread is what pages and the API wait behind.
    const csr = typeof request === 'string' ? await LocalCa.readRequest(request) : request;
    const cert = await x509.X509CertificateGenerator.create({
      serialNumber: newSerial(),
      subject: `CN=${mac}`,
      issuer: this.caCert.subject,
      notBefore: new Date(),
      notAfter: yearsFromNow(CERT_YEARS),
      signingKey: this.caKey,
      publicKey: csr.publicKey,
      signingAlgorithm: EC_ALGORITHM,
      extensions: [new x509.BasicConstraintsExtension(false, undefined, true), new x509.ExtendedKeyUsageExtension([x509.ExtendedKeyUsage.clientAuth], true)],
    });
    return describe(cert.toString('pem'));
  }
}
