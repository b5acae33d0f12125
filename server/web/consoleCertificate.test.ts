import { X509Certificate } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { loadConfig } from '../config';
import { LocalCa } from '../pki/localCa';
import { localCaIdentity } from './consoleCertificate';
import { identitySourceFor } from './httpsIdentity';

const dirs: string[] = [];
function tempDir(): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'ewc-https-cert-'));
  dirs.push(dir);
  return dir;
}

afterEach(() => {
  for (const dir of dirs.splice(0)) fs.rmSync(dir, { recursive: true, force: true });
});

describe('the HTTPS certificate from the local CA', () => {
  it('names the host names of EWC_ALLOWED_HOSTS (ports dropped), and is never one the AP port would take', async () => {
    const dir = tempDir();
    const config = loadConfig({ EWC_DATA_DIR: dir, HOST: '0.0.0.0', EWC_ALLOWED_HOSTS: 'ewc.example.com, 10.0.0.2:3443, [fd00::5]' });
    const ca = await LocalCa.open(path.join(dir, 'pki'), [config.host]);
    const identity = await identitySourceFor(config, { openCa: async () => ca, pkiDir: path.join(dir, 'pki') }).load();
    const cert = new X509Certificate(identity.certPem);
    expect(cert.subjectAltName).toBe('IP Address:127.0.0.1, IP Address:0:0:0:0:0:0:0:1, IP Address:10.0.0.2, IP Address:FD00:0:0:0:0:0:0:5, DNS:localhost, DNS:ewc.example.com');
    expect(cert.subject).toBe('CN=EWC console');
    expect(cert.checkIssued(new X509Certificate(ca.caCertPem))).toBe(true);
    // At most 397 days: browsers refuse longer-lived server certificates.
    expect(new Date(cert.validTo).getTime() - new Date(cert.validFrom).getTime()).toBeLessThanOrEqual(397 * 86_400_000);
    expect(fs.statSync(path.join(dir, 'pki', 'https.key')).mode & 0o777).toBe(0o600);
  });

  it('keeps its fingerprint from one start to the next, and is issued again when the names change, the CA changes or its end nears', async () => {
    const dir = tempDir();
    const pki = path.join(dir, 'pki');
    const ca = await LocalCa.open(pki, ['127.0.0.1']);
    const first = await localCaIdentity(ca, pki, ['127.0.0.1', 'localhost']);
    expect((await localCaIdentity(await LocalCa.open(pki, ['127.0.0.1']), pki, ['127.0.0.1', 'localhost'])).fingerprint).toBe(first.fingerprint);

    const renamed = await localCaIdentity(ca, pki, ['127.0.0.1', 'ewc.example.com']);
    expect(renamed.fingerprint).not.toBe(first.fingerprint);
    expect(new X509Certificate(renamed.certPem).subjectAltName).toContain('DNS:ewc.example.com');

    const nearItsEnd = new Date(renamed.notAfter.getTime() - 29 * 86_400_000);
    const renewed = await localCaIdentity(ca, pki, ['127.0.0.1', 'ewc.example.com'], nearItsEnd);
    expect(renewed.fingerprint).not.toBe(renamed.fingerprint);

    const otherCa = await LocalCa.open(path.join(dir, 'other-pki'), ['127.0.0.1']);
    const reissued = await localCaIdentity(otherCa, pki, ['127.0.0.1', 'ewc.example.com']);
    expect(new X509Certificate(reissued.certPem).checkIssued(new X509Certificate(otherCa.caCertPem))).toBe(true);
  });
});
