import { randomBytes, type KeyObject } from 'node:crypto';
import fs from 'node:fs';
import https from 'node:https';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { CATALOG_PATHS, FIRMWARE_CHECK_SUCCESS, FIRMWARE_CHECK_TYPE, type ControllerIdentity } from '../../../lib/firmwareCatalog';
import { CONTROLLER_IMAGE_FILE } from '../../../lib/imageBundle';
import { writeSignedManifest } from '../../imageSigning/imageManifest';
import { FRESH_PREDOWNLOAD_STATE, type AccessPointRecord } from '../../fleet/accessPoint';
import type { CatalogNetwork } from '../../catalog/catalogNetwork';
import type { CatalogCaller } from '../../catalog/catalogSettings';
import { OEM_TAG } from '../../catalog/controllerIdentity';
import { startCatalogService, type CatalogServiceHandle } from './catalogService';
import { ensureServerCertificate, type ServerCertificate } from './certificateAuthority';

export const TEST_ACCOUNT = { username: 'noc-team', key: 'test-api-key-0123456789' };

/** Who a test's firmware checks say they are: a controller hosted by the seed's AP6C41.0E16.E79C. */
export const TEST_IDENTITY: ControllerIdentity = {
  guid: 'ccefd96301942b6e277f607117948cff7d657d1127aa8aaa93',
  oemTag: OEM_TAG,
  mode: 'EWC',
  factoryDefault: false,
  features: '101',
  controllerAp: { serial: '5D0C3B7A91E2', mac: '6c41.0e16.e79c', model: 'C9120AXI-B' },
};

/** A caller for tests: the test identity, each AP's name as its serial, and the steps of each exchange kept in `steps`. */
export function testCaller(steps: string[] = []): CatalogCaller {
  return { identity: async () => TEST_IDENTITY, serialOf: async (ap) => ap.name, step: (text) => steps.push(text) };
}

export function tempDir(prefix = 'ewc-catalog-'): string {
  return fs.mkdtempSync(path.join(os.tmpdir(), prefix));
}

/** Test catalogs run on loopback, which only the explicit setting allows; the limits are loose unless a test tightens them. */
export function testNetwork(overrides: Partial<CatalogNetwork> = {}): CatalogNetwork {
  return { timeoutMs: 5000, minBytesPerSecond: 0, deadlineMs: 600_000, allowLoopback: true, imageOrigins: [], maxImageBytes: 1 << 30, ...overrides };
}

/** A release folder of random image files, signed by `vendorKey` when one is given, as a vendor signs a release. */
export function writeRelease(dir: string, imageTypes: readonly string[], size: number, version?: string, vendorKey?: KeyObject): void {
  fs.mkdirSync(dir, { recursive: true });
  const names = [...imageTypes, CONTROLLER_IMAGE_FILE];
  for (const name of names) fs.writeFileSync(path.join(dir, name), randomBytes(size));
  if (version && vendorKey) writeSignedManifest(dir, version, names, vendorKey);
}

export interface TestCatalog {
  service: CatalogServiceHandle;
  certificate: ServerCertificate;
  root: string;
}

/**
 * A catalog with a certificate from a CA of the test's own: 17.12.1.5 (recommended, every type) and
 * 17.15.2.3 (latest, no ap3g3), each signed by `vendorKey` when one is given (except the versions in
 * `unsigned`), else unsigned.
 */
export async function startTestCatalog(imageSize = 200_000, publicUrl?: string, vendorKey?: KeyObject, unsigned: readonly string[] = []): Promise<TestCatalog> {
  const root = tempDir();
  const certificate = ensureServerCertificate(path.join(root, 'tls'), 'Test catalog');
  const keyFor = (version: string) => (unsigned.includes(version) ? undefined : vendorKey);
  writeRelease(path.join(root, '17.12.1.5'), ['ap1g7', 'ap1g8', 'ap3g3'], imageSize, '17.12.1.5', keyFor('17.12.1.5'));
  writeRelease(path.join(root, '17.15.2.3'), ['ap1g7', 'ap1g8'], imageSize, '17.15.2.3', keyFor('17.15.2.3'));
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
    controllerPrimaryImage: null,
    controllerBackupImage: null,
    hostsController: false,
    freeSpaceKb: 800_000,
    lastSeenAt: new Date().toISOString(),
    siteTag: 'default-site-tag',
    neighbors: [],
    ...FRESH_PREDOWNLOAD_STATE,
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

export interface ScriptedCatalog {
  url: string;
  port: number;
  certificate: ServerCertificate;
  /** Paths requested, in order. */
  requests: string[];
  close(): Promise<void>;
}

/** What a scripted catalog answers: JSON, or a file's bytes, at once or (`drip`) one byte every 50 ms, a server that crawls but is never idle. */
export interface ScriptedReply {
  status: number;
  body: unknown;
  drip?: boolean;
  /** Headers in place of the protocol's own (a check's answer otherwise carries X-Type, X-Status-Code: success, X-Session-Id, X-Activation-Key). */
  headers?: Record<string, string>;
}

/**
 * An HTTPS server with a test CA's certificate (or the one given) that speaks as much of the catalog
 * protocol as a test scripts: a valid challenge, then whatever `answer` says for every other request
 * (a hostile or broken catalog). It checks no account.
 */
export async function startScriptedCatalog(answer: (path: string, url: string) => ScriptedReply, given?: ServerCertificate): Promise<ScriptedCatalog> {
  const root = tempDir('ewc-scripted-catalog-');
  const certificate = given ?? ensureServerCertificate(path.join(root, 'tls'), 'Scripted catalog');
  const requests: string[] = [];
  let url = '';
  const server = https.createServer({ cert: certificate.certPem, key: certificate.keyPem }, (req, res) => {
    const pathname = new URL(req.url ?? '/', 'https://x.invalid').pathname;
    requests.push(pathname);
    req.resume();
    const challenge = { challenge: randomBytes(32).toString('base64'), sessionId: randomBytes(16).toString('base64url'), expiresAt: new Date(Date.now() + 60_000).toISOString() };
    const reply: ScriptedReply = pathname === CATALOG_PATHS.challenge ? { status: 200, body: challenge } : answer(pathname, url);
    const bytes = Buffer.isBuffer(reply.body) ? reply.body : Buffer.from(JSON.stringify(reply.body));
    // A check's answer carries the protocol's headers, so that what a test scripts is read as the catalog's body.
    const protocol: Record<string, string> =
      pathname === CATALOG_PATHS.check && reply.status === 200
        ? { 'x-type': FIRMWARE_CHECK_TYPE, 'x-status-code': FIRMWARE_CHECK_SUCCESS, 'x-session-id': String(req.headers['x-session-id'] ?? ''), 'x-activation-key': 'TESTKEY0' }
        : {};
    res.writeHead(reply.status, {
      'content-type': Buffer.isBuffer(reply.body) ? 'application/octet-stream' : 'application/json',
      'content-length': String(bytes.length),
      ...protocol,
      ...reply.headers,
    });
    if (!reply.drip) return void res.end(bytes);
    let sent = 0;
    const drip = setInterval(() => {
      if (res.destroyed || sent >= bytes.length) return clearInterval(drip);
      res.write(bytes.subarray(sent, (sent += 1)));
    }, 50);
    res.once('close', () => clearInterval(drip));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as net.AddressInfo;
  url = `https://127.0.0.1:${port}`;
  return {
    url,
    port,
    certificate,
    requests,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => {
          fs.rmSync(root, { recursive: true, force: true });
          resolve();
        });
      }),
  };
}
