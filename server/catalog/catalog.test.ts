import fs from 'node:fs';
import https from 'node:https';
import net from 'node:net';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { identityHeaders } from '../../lib/firmwareCatalog';
import { CONTROLLER_IMAGE_FILE, CONTROLLER_VERSION_FILE, VERSION_FILE } from '../../lib/imageBundle';
import { httpsDownload } from '../imageSource/httpsDownload';
import { EMPTY_PROFILE, type StoredProfile } from '../store/profileRepository';
import { firmwareCheck, type CatalogClientOptions } from './catalogClient';
import { CatalogError } from './catalogError';
import { startCuttingRelay, startScriptedCatalog, startTestCatalog, tempDir, testAp, testCaller, testNetwork, TEST_ACCOUNT, TEST_IDENTITY, type TestCatalog } from '../sim/catalog/catalogTestKit';
import { createCcoImageSource } from '../imageSource/ccoImageSource';
import { firmwareCheckRequest, summarizeCheck } from './fleetCheck';
import { ImageTypeNotOfferedError } from '../imageSource/imageSource';

const FLEET = [testAp('AP-LOBBY', 'ap1g7', 'C9115AXI-B'), testAp('AP-9130', 'ap1g8', 'C9130AXI-B'), testAp('AP-POD-2-2', 'ap3g3', 'AIR-AP2802I-B-K9')];

let catalog: TestCatalog;
beforeAll(async () => {
  catalog = await startTestCatalog();
});
afterAll(async () => {
  await catalog.service.close();
  fs.rmSync(catalog.root, { recursive: true, force: true });
});

function client(overrides: Partial<CatalogClientOptions> = {}): CatalogClientOptions {
  return { catalogUrl: catalog.service.url, account: TEST_ACCOUNT, trust: { caPem: catalog.certificate.caPem, fingerprint: null }, network: testNetwork(), identity: TEST_IDENTITY, ...overrides };
}

async function failureOf(promise: Promise<unknown>): Promise<CatalogError> {
  const error = await promise.then(
    () => null,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(CatalogError);
  return error as CatalogError;
}

describe('firmware check against a catalog whose certificate comes from another CA', () => {
  it('finds the newer release per image type, and says which image type has none', async () => {
    const answer = await firmwareCheck(client(), firmwareCheckRequest(FLEET, '17.09.04a.0.6'));
    const result = summarizeCheck(catalog.service.url, FLEET, answer, new Date().toISOString());
    const byType = Object.fromEntries(result.imageTypes.map((t) => [t.imageType, t]));
    expect(byType.ap1g8).toMatchObject({
      models: ['C9130AXI-B'],
      apCount: 1,
      runningVersion: '17.9.4.27',
      latest: { version: '17.15.2.3', size: 200_000 },
      recommended: { version: '17.12.1.5', size: 200_000 },
      note: null,
    });
    expect(byType.ap3g3.latest).toMatchObject({ version: '17.12.1.5' });
    expect(result.message).toContain('New version available: latest 17.15.2.3');
    const files = answer.imageTypes.find((t) => t.imageType === 'ap1g8')!.latest!;
    expect(files.image.sha256).toMatch(/^[0-9a-f]{64}$/);
  });

  it('reports an image type the catalog has no release for as Not Supported, and a fleet on the latest as such', async () => {
    const fleet = [testAp('AP-LOBBY', 'ap1g7', 'C9115AXI-B', '17.15.2.3'), testAp('AP-OLD', 'ap1g5', 'AIR-AP1810W-B-K9')];
    const answer = await firmwareCheck(client(), firmwareCheckRequest(fleet, '17.15.02.0.3'));
    const result = summarizeCheck(catalog.service.url, fleet, answer, new Date().toISOString());
    expect(result.imageTypes.map((t) => t.note)).toEqual(['Not Supported: the catalog has no release for image type ap1g5', 'Already running the latest release 17.15.2.3']);
  });

  it('sends no secret: the key never crosses the wire, a wrong key is refused as Authentication failed', async () => {
    const error = await failureOf(firmwareCheck(client({ account: { username: TEST_ACCOUNT.username, key: 'wrong-key' } }), firmwareCheckRequest(FLEET, '17.09.04a.0.6')));
    expect(error.reason).toBe('Authentication failed');
    const unknown = await failureOf(firmwareCheck(client({ account: { username: 'nobody', key: TEST_ACCOUNT.key } }), firmwareCheckRequest(FLEET, '17.09.04a.0.6')));
    expect(unknown.reason).toBe('Authentication failed');
  });

  it('refuses the certificate against the system store only, showing the fingerprint seen; trusts it once by that fingerprint', async () => {
    const error = await failureOf(firmwareCheck(client({ trust: { caPem: null, fingerprint: null } }), firmwareCheckRequest(FLEET, 'x')));
    expect(error.code).toBe('certificate');
    expect(error.reason).toMatch(/^Certificate verification failed: /);
    expect(error.reason).toContain(catalog.certificate.fingerprint);
    expect(error.certificate?.fingerprint).toBe(catalog.certificate.fingerprint);

    const trusted = await firmwareCheck(client({ trust: { caPem: null, fingerprint: catalog.certificate.fingerprint } }), firmwareCheckRequest(FLEET, 'x'));
    expect(trusted.imageTypes).toHaveLength(3);
    const other = tempDir();
    const wrong = (await import('../sim/catalog/certificateAuthority')).ensureServerCertificate(other, 'Other').fingerprint;
    const mismatch = await failureOf(firmwareCheck(client({ trust: { caPem: null, fingerprint: wrong } }), firmwareCheckRequest(FLEET, 'x')));
    expect(mismatch.reason).toContain(`fingerprint ${catalog.certificate.fingerprint} is not the trusted ${wrong}`);
  });

  it('says so when the URL holds no catalog (404)', async () => {
    const error = await failureOf(firmwareCheck(client({ catalogUrl: `${catalog.service.url}/wrong-path` }), firmwareCheckRequest(FLEET, 'x')));
    expect(error).toMatchObject({ code: 'not-found', reason: 'No firmware catalog at this URL (404)' });
  });

  it('says Connection refused for a closed port and Timed out for a server that never answers', async () => {
    // Reads and drops what it gets (so it sees the client leave) but never answers the TLS handshake.
    const silent = net.createServer((socket) => socket.resume());
    await new Promise<void>((resolve) => silent.listen(0, '127.0.0.1', resolve));
    const port = (silent.address() as net.AddressInfo).port;
    const timedOut = await failureOf(firmwareCheck(client({ catalogUrl: `https://127.0.0.1:${port}`, network: testNetwork({ timeoutMs: 300 }) }), firmwareCheckRequest(FLEET, 'x')));
    expect(timedOut.reason).toBe('Timed out');
    await new Promise<void>((resolve) => silent.close(() => resolve()));
    const refused = await failureOf(firmwareCheck(client({ catalogUrl: `https://127.0.0.1:${port}` }), firmwareCheckRequest(FLEET, 'x')));
    expect(refused.reason).toBe('Connection refused');
  });
});

describe("the firmware check's identity and answer headers, as in the Aruba seed", () => {
  /** A POST /firmware with the given headers, straight to the catalog: its status and error. */
  function postCheck(headers: Record<string, string>): Promise<{ status: number; body: { error?: string } }> {
    return new Promise((resolve, reject) => {
      const req = https.request(`${catalog.service.url}/firmware`, { method: 'POST', ca: catalog.certificate.caPem, headers: { 'content-type': 'application/json', ...headers } }, (res) => {
        let text = '';
        res.on('data', (chunk: Buffer) => (text += chunk.toString()));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, body: JSON.parse(text) as { error?: string } }));
      });
      req.on('error', reject);
      req.end('{}');
    });
  }

  it("the catalog refuses a check without the seed's identity headers, each by name", async () => {
    const identity = identityHeaders(TEST_IDENTITY);
    expect(await postCheck({ 'x-type': 'firmware-check' })).toEqual({ status: 400, body: { error: 'X-Guid is missing' } });
    for (const name of ['x-oem-tag', 'x-mode', 'x-factory-default', 'x-features', 'x-ap-info']) {
      const without = Object.fromEntries(Object.entries(identity).filter(([key]) => key !== name));
      const refused = await postCheck({ 'x-type': 'firmware-check', ...without });
      expect(refused.status, name).toBe(400);
      expect(refused.body.error?.toLowerCase(), name).toContain(name);
    }
    expect((await postCheck({ 'x-type': 'firmware-check', ...identity, 'x-ap-info': 'only one field' })).body).toEqual({ error: 'X-Ap-Info is "serial, MAC, model"' });
    // With them, the check goes on to the account's proof.
    expect((await postCheck({ 'x-type': 'firmware-check', ...identity })).status).toBe(401);
  });

  it('the controller refuses an answer that does not say X-Status-Code: success, or is for another session', async () => {
    const release = {
      version: '17.12.1.5',
      controllerVersion: '17.12.01.0.5',
      image: { name: 'ap1g8', size: 1, sha256: 'a'.repeat(64), url: 'https://127.0.0.1/x' },
      controllerImage: { name: 'C9800-AP-iosxe-wlc.bin', size: 1, sha256: 'a'.repeat(64), url: 'https://127.0.0.1/y' },
      signedManifest: null,
    };
    const answer = { imageTypes: [{ imageType: 'ap1g8', latest: release, recommended: release, releases: [release] }] };
    const cases: [Record<string, string>, string][] = [
      [{ 'x-status-code': 'failure' }, 'X-Status-Code is not success'],
      [{ 'x-activation-key': '' }, 'X-Activation-Key is 8 letters and digits'],
      [{ 'x-session-id': 'another-session' }, 'X-Session-Id is not the one of the challenge'],
    ];
    for (const [headers, why] of cases) {
      const scripted = await startScriptedCatalog((pathname) => (pathname === '/firmware' ? { status: 200, body: answer, headers } : { status: 404, body: { error: 'no' } }));
      try {
        const error = await failureOf(firmwareCheck(client({ catalogUrl: scripted.url, trust: { caPem: scripted.certificate.caPem, fingerprint: null } }), firmwareCheckRequest(FLEET, 'x')));
        expect(error).toMatchObject({ code: 'protocol', reason: `The catalog answer does not follow the firmware-check protocol (${why})` });
      } finally {
        await scripted.close();
      }
    }
  });
});

describe('HTTPS download', () => {
  it('resumes a cut download with Range: the bytes already written are not fetched again', async () => {
    const answer = await firmwareCheck(client(), firmwareCheckRequest(FLEET, 'x'));
    const file = answer.imageTypes.find((t) => t.imageType === 'ap1g8')!.latest!.image;
    const relay = await startCuttingRelay({ host: '127.0.0.1', port: catalog.service.port }, 90_000);
    const url = new URL(file.url);
    url.port = String(relay.port);
    const destination = path.join(tempDir(), 'ap1g8');
    const options = { url: url.toString(), destination, size: file.size, sha256: file.sha256, trust: { caPem: catalog.certificate.caPem, fingerprint: null }, network: testNetwork() };
    const before = catalog.service.requests.length;

    const cut = await failureOf(httpsDownload(options));
    expect(cut.retryable).toBe(true);
    const partial = fs.statSync(destination).size;
    expect(partial).toBeGreaterThan(0);
    expect(partial).toBeLessThan(file.size);

    const resumed = await httpsDownload(options);
    expect(resumed).toMatchObject({ bytes: file.size, resumedFrom: partial, transferred: file.size - partial });
    const served = catalog.service.requests.slice(before).filter((r) => r.path.endsWith('/ap1g8'));
    expect(served.map((r) => r.range)).toEqual([null, `bytes=${partial}-`]);
    expect(served[1]).toMatchObject({ status: 206, bytesSent: file.size - partial });
    await relay.close();
  });

  it('ends a stalled download with Timed out and keeps what it has for the next attempt', async () => {
    const answer = await firmwareCheck(client(), firmwareCheckRequest(FLEET, 'x'));
    const file = answer.imageTypes.find((t) => t.imageType === 'ap1g7')!.latest!.image;
    const relay = await startCuttingRelay({ host: '127.0.0.1', port: catalog.service.port }, 60_000, 'stall');
    const url = new URL(file.url);
    url.port = String(relay.port);
    const destination = path.join(tempDir(), 'ap1g7');
    const error = await failureOf(
      httpsDownload({
        url: url.toString(),
        destination,
        size: file.size,
        sha256: file.sha256,
        trust: { caPem: catalog.certificate.caPem, fingerprint: null },
        network: testNetwork({ timeoutMs: 400 }),
      }),
    );
    expect(error).toMatchObject({ code: 'timeout', reason: 'Timed out' });
    expect(fs.statSync(destination).size).toBeGreaterThan(0);
    await relay.close();
  });

  it('refuses a file whose SHA-256 is not the announced one, and removes it', async () => {
    const answer = await firmwareCheck(client(), firmwareCheckRequest(FLEET, 'x'));
    const file = answer.imageTypes[0].latest!.image;
    const destination = path.join(tempDir(), 'ap1g7');
    const error = await failureOf(
      httpsDownload({ url: file.url, destination, size: file.size, sha256: '0'.repeat(64), trust: { caPem: catalog.certificate.caPem, fingerprint: null }, network: testNetwork() }),
    );
    expect(error.reason).toContain('SHA-256 mismatch');
    expect(fs.existsSync(destination)).toBe(false);
  });
});

describe('CCO image source', () => {
  const profile = (release: string): StoredProfile => ({
    ...EMPTY_PROFILE,
    mode: 'CCO',
    cco: { ...EMPTY_PROFILE.cco, catalogUrl: catalog.service.url, username: TEST_ACCOUNT.username, password: TEST_ACCOUNT.key, release, caCertificate: catalog.certificate.caPem },
  });
  const fetchOptions = { signal: new AbortController().signal, onProgress: () => undefined };

  it('maps the bundle names onto the chosen release, and does not offer an image type it lacks', async () => {
    const source = createCcoImageSource(profile('latest'), { aps: () => FLEET, controllerVersion: () => '17.09.04a.0.6', network: testNetwork(), caller: testCaller() });
    const dir = tempDir();
    await source.fetch(VERSION_FILE, path.join(dir, VERSION_FILE), fetchOptions);
    await source.fetch(CONTROLLER_VERSION_FILE, path.join(dir, CONTROLLER_VERSION_FILE), fetchOptions);
    expect(fs.readFileSync(path.join(dir, VERSION_FILE), 'utf8').trim()).toBe('17.15.2.3');
    expect(fs.readFileSync(path.join(dir, CONTROLLER_VERSION_FILE), 'utf8').trim()).toBe('17.15.02.0.3');
    const image = await source.fetch('ap1g8', path.join(dir, 'ap1g8'), fetchOptions);
    expect(image.bytes).toBe(200_000);
    expect((await source.fetch(CONTROLLER_IMAGE_FILE, path.join(dir, CONTROLLER_IMAGE_FILE), fetchOptions)).bytes).toBe(200_000);
    const missing = await source.fetch('ap3g3', path.join(dir, 'ap3g3'), fetchOptions).then(
      () => null,
      (e: unknown) => e,
    );
    expect(missing).toBeInstanceOf(ImageTypeNotOfferedError);
    expect(missing).toMatchObject({ reason: "The catalog's release 17.15.2.3 has no image for ap3g3", retryable: false });
    expect(source.displayUrl('ap3g3')).toBe(`${catalog.service.url}/firmware/latest/ap3g3`);
  });

  it('fails every file with Authentication failed after one refused check, without asking again', async () => {
    const bad = profile('recommended');
    bad.cco.password = 'wrong-key';
    const source = createCcoImageSource(bad, { aps: () => FLEET, controllerVersion: () => 'x', network: testNetwork(), caller: testCaller() });
    const checksBefore = catalog.service.requests.filter((r) => r.path === '/firmware').length;
    for (const name of [VERSION_FILE, 'ap1g7', 'ap1g8']) {
      await expect(source.fetch(name, path.join(tempDir(), name), fetchOptions)).rejects.toMatchObject({ reason: 'Authentication failed', retryable: false });
    }
    expect(catalog.service.requests.filter((r) => r.path === '/firmware').length - checksBefore).toBe(1);
  });
});
