import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';

/** An admin's own PKI made with openssl, as an admin would: a CA, and server certificates from it for 127.0.0.1 and localhost. */
export class AdminPki {
  readonly caCert: string;
  private readonly caKey: string;
  private serial = 0;

  constructor(private readonly dir: string) {
    fs.mkdirSync(dir, { recursive: true });
    this.caKey = path.join(dir, 'ca.key');
    this.caCert = path.join(dir, 'ca.crt');
    execFileSync(
      'openssl',
      [
        'req',
        '-x509',
        '-newkey',
        'ec',
        '-pkeyopt',
        'ec_paramgen_curve:P-256',
        '-nodes',
        '-keyout',
        this.caKey,
        '-out',
        this.caCert,
        '-days',
        '30',
        '-subj',
        '/CN=Admin test CA',
        '-addext',
        'basicConstraints=critical,CA:TRUE',
        '-addext',
        'keyUsage=critical,keyCertSign',
      ],
      { stdio: 'ignore' },
    );
  }

  /** A new key and certificate; returns their file paths. */
  issue(name: string): { cert: string; key: string } {
    this.serial += 1;
    const key = path.join(this.dir, `${name}.key`);
    const csr = path.join(this.dir, `${name}.csr`);
    const cert = path.join(this.dir, `${name}.crt`);
    const ext = path.join(this.dir, `${name}.ext`);
    fs.writeFileSync(ext, 'subjectAltName=IP:127.0.0.1,DNS:localhost\nextendedKeyUsage=serverAuth\nbasicConstraints=CA:FALSE\n');
    execFileSync('openssl', ['req', '-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:P-256', '-nodes', '-keyout', key, '-out', csr, '-subj', `/CN=${name}`], { stdio: 'ignore' });
    execFileSync('openssl', ['x509', '-req', '-in', csr, '-CA', this.caCert, '-CAkey', this.caKey, '-set_serial', String(1000 + this.serial), '-days', '30', '-extfile', ext, '-out', cert], {
      stdio: 'ignore',
    });
    return { cert, key };
  }
}
