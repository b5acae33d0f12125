import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { CONTROLLER_IMAGE_FILE } from '../../lib/imageBundle';
import type { AccessPointRecord } from '../store/accessPointRepository';
import { startCatalogService, type CatalogServiceHandle } from './catalogService';
import { ensureServerCertificate, type ServerCertificate } from './certificateAuthority';

export const TEST_ACCOUNT = { username: 'noc-team', key: 'test-api-key-0123456789' };

export function tempDir(prefix = 'ewc-catalog-'): string {
  return fs.mkdtempSync(path.join(os.tmpdir(), prefix));
}

/** A release folder of random image files. */
export function writeRelease(dir: string, imageTypes: readonly string[], size: number): void {
  fs.mkdirSync(dir, { recursive: true });
  for (const name of [...imageTypes, CONTROLLER_IMAGE_FILE]) fs.writeFileSync(path.join(dir, name), randomBytes(size));
}

export interface TestCatalog {
  service: CatalogServiceHandle;
  certificate: ServerCertificate;
  root: string;
}

/** A catalog with a certificate from a CA of the test's own: 17.12.1.5 (recommended, every type) and 17.15.2.3 (latest, no ap3g3). */
export async function startTestCatalog(imageSize = 200_000, publicUrl?: string): Promise<TestCatalog> {
  const root = tempDir();
  const certificate = ensureServerCertificate(path.join(root, 'tls'), 'Test catalog');
  writeRelease(path.join(root, '17.12.1.5'), ['ap1g7', 'ap1g8', 'ap3g3'], imageSize);
  writeRelease(path.join(root, '17.15.2.3'), ['ap1g7', 'ap1g8'], imageSize);
  const service = await startCatalogService({
    host: '127.0.0.1',
    port: 0,
    certPem: certificate.certPem,
    keyPem: certificate.keyPem,
    accounts: { [TEST_ACCOUNT.username]: TEST_ACCOUNT.key },
    releases: [
      { version: '17.12.1.5', controllerVersion: '17.12.01.0.5', recommended: true, dir: path.join(root, '17.12.1.5') },
      { version: '17.15.2.3', controllerVersion: '17.15.02.0.3', recommended: false, dir: path.join(root, '17.15.2.3') },
    ],
    publicUrl,
  });
  return { service, certificate, root };
}

export function testAp(name: string, imageType: string, model: string, primaryImage = '17.9.4.27'): AccessPointRecord {
  return {
    mac: `aa:bb:cc:00:00:${name.length.toString(16).padStart(2, '0')}`,
    name,
    model,
    imageType,
    role: 'Master',
    primaryImage,
    backupImage: '17.3.3.26',
    backupImageSha256: null,
    controllerPrimaryImage: null,
    controllerBackupImage: null,
    hostsController: false,
    freeSpaceKb: 800_000,
    predownloadStatus: 'None',
    predownloadVersion: null,
    retryCount: 0,
    nextRetryTime: null,
    method: 'CAPWAP',
    lastError: null,
    upgradeId: null,
    lastSeenAt: new Date().toISOString(),
    siteTag: 'default-site-tag',
    neighbors: [],
    activationExcluded: false,
  };
}

/**
 * A TCP relay in front of a server (`target` is read at each connection, so it may be filled in after the relay starts): counts the bytes it forwards to the client and, on the first
 * connection that carries a given number of them, either cuts it (a dropped link) or stops
 * forwarding (a stalled one). Smaller exchanges, such as a firmware check, pass untouched.
 */
export async function startCuttingRelay(target: { host: string; port: number }, cutFirstAfter: number, fault: 'cut' | 'stall' = 'cut'): Promise<{ port: number; close: () => Promise<void> }> {
  let faulted = false;
  const sockets = new Set<net.Socket>();
  const server = net.createServer((client) => {
    let cut = false;
    const upstream = net.connect(target.port, target.host);
    sockets.add(client).add(upstream);
    let forwarded = 0;
    client.pipe(upstream);
    upstream.on('data', (chunk: Buffer) => {
      if (!faulted && forwarded + chunk.length >= cutFirstAfter) {
        faulted = true;
        cut = true;
      }
      const room = cut ? cutFirstAfter - forwarded : chunk.length;
      const part = chunk.subarray(0, Math.max(0, Math.min(room, chunk.length)));
      forwarded += part.length;
      if (part.length > 0) client.write(part);
      if (cut && forwarded >= cutFirstAfter && fault === 'cut') {
        client.destroy();
        upstream.destroy();
      }
    });
    const end = () => {
      client.destroy();
      upstream.destroy();
    };
    // A stalled link delivers nothing more, not even the server's end of the connection.
    upstream.on('end', () => (cut && fault === 'stall' ? undefined : client.end()));
    upstream.on('error', end);
    client.on('error', end);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    port: (server.address() as net.AddressInfo).port,
    close: () =>
      new Promise<void>((resolve) => {
        for (const s of sockets) s.destroy();
        server.close(() => resolve());
      }),
  };
}
