import { execFileSync } from 'node:child_process';
import { X509Certificate } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';

export interface ServerCertificate {
  /** PEM of the CA that signed the server certificate: what a client trusts. */
  caPem: string;
  certPem: string;
  keyPem: string;
  /** `AB:CD:…` SHA-256 of the server certificate, as `openssl x509 -fingerprint -sha256` prints it. */
  fingerprint: string;
}

function openssl(args: string[], cwd: string): void {
  execFileSync('openssl', args, { cwd, stdio: ['ignore', 'ignore', 'pipe'] });
}

/**
 * A CA of its own and a server certificate it signs for `127.0.0.1` and `localhost`,
 * created with Debian's openssl on the first start and reused afterwards (Node has no
 * certificate builder). The CA key stays in `dir` with mode 0600.
 */
export function ensureServerCertificate(dir: string, commonName: string): ServerCertificate {
  const files = { caKey: 'ca.key', ca: 'ca.pem', key: 'server.key', csr: 'server.csr', cert: 'server.pem', ext: 'server.ext' };
  const at = (name: string) => path.join(dir, name);
  if (!fs.existsSync(at(files.cert)) || !fs.existsSync(at(files.ca))) {
    fs.mkdirSync(dir, { recursive: true, mode: 0o700 });
    openssl(['req', '-x509', '-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:P-256', '-nodes', '-keyout', files.caKey, '-out', files.ca, '-days', '3650', '-subj', `/CN=${commonName} CA`], dir);
    openssl(['req', '-new', '-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:P-256', '-nodes', '-keyout', files.key, '-out', files.csr, '-subj', `/CN=${commonName}`], dir);
    fs.writeFileSync(at(files.ext), 'subjectAltName=IP:127.0.0.1,DNS:localhost\nbasicConstraints=CA:FALSE\nkeyUsage=digitalSignature\nextendedKeyUsage=serverAuth\n');
    openssl(['x509', '-req', '-in', files.csr, '-CA', files.ca, '-CAkey', files.caKey, '-CAcreateserial', '-out', files.cert, '-days', '825', '-extfile', files.ext], dir);
    for (const name of [files.caKey, files.key]) fs.chmodSync(at(name), 0o600);
  }
  const certPem = fs.readFileSync(at(files.cert), 'utf8');
  return {
    caPem: fs.readFileSync(at(files.ca), 'utf8'),
    certPem,
    keyPem: fs.readFileSync(at(files.key), 'utf8'),
    fingerprint: new X509Certificate(certPem).fingerprint256,
  };
}
