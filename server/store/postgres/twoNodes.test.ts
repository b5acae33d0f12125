import { X509Certificate, generateKeyPairSync } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import type { ApImageReport } from '../../../lib/apImage';
import { DEMO_FLEET } from '../../sim/demo/demoFleet';
import { startConsoleHarness, waitFor, type ConsoleHarness } from '../../sim/testing/consoleHarness';
import { freeTcpPort } from '../../sim/testing/freeTcpPort';
import { postgresServerForFile } from '../../sim/testing/postgresServerForFile';
import { apStorageDir } from '../../sim/ap/apStorage';
import { JOIN_TOKEN_FILE } from '../../pki/joinToken';

// Two console nodes, one after the other, each with a data folder of its own, on one PostgreSQL database.
const postgres = postgresServerForFile();
const AP = DEMO_FLEET[2];

const harnesses: ConsoleHarness[] = [];
const dirs: string[] = [];
afterEach(async () => {
  for (const harness of harnesses.splice(0).reverse()) await harness.dispose().catch(() => undefined);
  for (const dir of dirs.splice(0)) fs.rmSync(dir, { recursive: true, force: true });
});

const newDataDir = () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'ewc-node-'));
  dirs.push(dir);
  return dir;
};
const caFingerprint = (dataDir: string) => new X509Certificate(fs.readFileSync(path.join(dataDir, 'pki', 'ca.crt'))).fingerprint256;
const joinTokenFile = (dataDir: string) => fs.readFileSync(path.join(dataDir, 'pki', JOIN_TOKEN_FILE), 'utf8');
const apRow = (h: ConsoleHarness) => (h.instance.api.getApImage().body as ApImageReport).aps.find((ap) => ap.mac === AP.mac);
const vendorKeyPem = () => generateKeyPairSync('ed25519').publicKey.export({ type: 'spki', format: 'pem' }).toString();

describe('a second console node on the same PostgreSQL database', () => {
  it('starts from an empty data folder with the same CA, join token and vendor keys, and admits an AP the first node enrolled', async () => {
    // The AP port stays where the AP knows it: the second node listens on it once the first has stopped.
    const env = { ...(await postgres.consoleEnv()), EWC_CAPWAP_PORT: String(await freeTcpPort()) };
    const firstDir = newDataDir();
    const vendorKey = vendorKeyPem();
    fs.mkdirSync(path.join(firstDir, 'vendor-keys'));
    fs.writeFileSync(path.join(firstDir, 'vendor-keys', 'site-vendor.pem'), vendorKey);
    const first = await startConsoleHarness(env, firstDir);
    harnesses.push(first);
    const fleet = await first.startFleet([AP]);
    await waitFor(
      'the AP joined the first node',
      () => apRow(first),
      (ap) => ap?.connected === true,
    );
    const enrolled = await first.instance.trust.authorization(AP.mac);
    expect(enrolled).toMatchObject({ status: 'approved', enrolledVia: 'join-token' });
    const apCertificate = fs.readFileSync(path.join(apStorageDir(path.join(firstDir, 'fleet'), AP.mac), 'ap.crt'), 'utf8');
    // The CA key stays in the database: the first node's folder holds only what `npm run fleet` reads.
    expect(fs.readdirSync(path.join(firstDir, 'pki')).sort()).toEqual(['ca.crt', JOIN_TOKEN_FILE]);
    await first.instance.close('node stopped');
    first.browser.close();
    harnesses.splice(harnesses.indexOf(first), 1);

    const secondDir = newDataDir();
    const second = await startConsoleHarness(env, secondDir);
    harnesses.push(second);
    second.fleet = fleet;
    expect(caFingerprint(secondDir)).toBe(caFingerprint(firstDir));
    expect(joinTokenFile(secondDir)).toBe(joinTokenFile(firstDir));
    expect(second.instance.trust.joinToken).toBe(first.instance.trust.joinToken);
    expect(fs.readFileSync(path.join(secondDir, 'vendor-keys', 'site-vendor.pem'), 'utf8')).toBe(vendorKey);
    // The AP rejoins by itself with the certificate the first node issued: admitted, not enrolled again.
    await waitFor(
      'the AP joined the second node',
      () => apRow(second),
      (ap) => ap?.connected === true,
    );
    expect(await second.instance.trust.list()).toEqual([enrolled]);
    expect(fs.readFileSync(path.join(apStorageDir(path.join(firstDir, 'fleet'), AP.mac), 'ap.crt'), 'utf8')).toBe(apCertificate);
  });
});
