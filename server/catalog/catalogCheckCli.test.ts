import { execFile } from 'node:child_process';
import { generateKeyPairSync } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ensureDemoBundle } from '../sim/demo/demoBundle';
import { startTestCatalog, tempDir, TEST_ACCOUNT, type TestCatalog } from '../sim/catalog/catalogTestKit';
import { DEMO_CATALOG_API_KEY, DEMO_CATALOG_USER, DEMO_LATEST_VERSION, startDemoCatalog, type DemoCatalog } from '../sim/demo/demoCatalog';

const run = promisify(execFile);
const TSX = path.resolve('node_modules/.bin/tsx');

async function cli(args: string[], key: string): Promise<{ code: number; stdout: string; stderr: string }> {
  try {
    const { stdout, stderr } = await run(TSX, ['server/catalog/catalogCheckCli.ts', ...args], { env: { ...process.env, CATALOG_API_KEY: key } });
    return { code: 0, stdout, stderr };
  } catch (error) {
    const e = error as { code: number; stdout: string; stderr: string };
    return { code: e.code, stdout: e.stdout, stderr: e.stderr };
  }
}

describe('npm run catalog -- check URL', () => {
  let catalog: TestCatalog;
  let caFile: string;
  beforeAll(async () => {
    catalog = await startTestCatalog(50_000);
    caFile = path.join(catalog.root, 'ca.pem');
    fs.writeFileSync(caFile, catalog.certificate.caPem);
  });
  afterAll(async () => {
    await catalog.service.close();
    fs.rmSync(catalog.root, { recursive: true, force: true });
  });

  it('prints latest and recommended per image type, Not Supported where the catalog has none', async () => {
    const result = await cli(['check', catalog.service.url, '--user', TEST_ACCOUNT.username, '--ca', caFile, '--image-type', 'ap1g8', '--image-type', 'ap1g5', '--allow-loopback'], TEST_ACCOUNT.key);
    expect(result.code).toBe(0);
    expect(result.stdout).toMatch(/^ap1g8 +latest 17\.15\.2\.3 \(0\.1 MB\) +recommended 17\.12\.1\.5 \(0\.1 MB\)$/m);
    expect(result.stdout).toMatch(/^ap1g5 +latest none +recommended none +Not Supported$/m);
  });

  it('fails with the controller line and a non-zero exit: a loopback catalog without --allow-loopback, authentication, certificate', async () => {
    const loopback = await cli(['check', catalog.service.url, '--user', TEST_ACCOUNT.username, '--ca', caFile], TEST_ACCOUNT.key);
    expect(loopback).toMatchObject({
      code: 1,
      stderr: `Failed to check for new version at ${catalog.service.url}: 127.0.0.1 is a loopback address (127.0.0.0/8, ::1, localhost): a firmware catalog cannot be there (EWC_CATALOG_ALLOW_LOOPBACK=1 allows one for tests and demos)\n`,
    });
    const auth = await cli(['check', catalog.service.url, '--user', TEST_ACCOUNT.username, '--ca', caFile, '--allow-loopback'], 'wrong');
    expect(auth).toMatchObject({ code: 1, stderr: `Failed to check for new version at ${catalog.service.url}: Authentication failed\n` });
    const certificate = await cli(['check', catalog.service.url, '--user', TEST_ACCOUNT.username, '--allow-loopback'], TEST_ACCOUNT.key);
    expect(certificate.code).toBe(1);
    expect(certificate.stderr).toContain(`Certificate verification failed`);
    expect(certificate.stderr).toContain(catalog.certificate.fingerprint);
  });
});

describe('the demo catalog', () => {
  const vendorKey = generateKeyPairSync('ed25519').privateKey;
  let demo: DemoCatalog;
  let dataDir: string;
  beforeAll(async () => {
    dataDir = tempDir('ewc-demo-catalog-');
    demo = await startDemoCatalog(dataDir, ensureDemoBundle(path.join(dataDir, 'demo-image-server'), 'scaled', vendorKey), 0, 'scaled', vendorKey);
  });
  afterAll(async () => {
    await demo.service.close();
    fs.rmSync(dataDir, { recursive: true, force: true });
  });

  it('creates its own CA on the first start, reuses it, and offers the newer release', async () => {
    expect(fs.statSync(path.join(dataDir, 'demo-catalog', 'tls', 'ca.key')).mode & 0o777).toBe(0o600);
    const caFile = path.join(dataDir, 'demo-catalog', 'tls', 'ca.pem');
    const result = await cli(['check', demo.service.url, '--user', DEMO_CATALOG_USER, '--ca', caFile, '--image-type', 'ap1g7', '--image-type', 'ap3g3', '--allow-loopback'], DEMO_CATALOG_API_KEY);
    expect(result.stdout).toMatch(new RegExp(`^ap1g7 +latest ${DEMO_LATEST_VERSION.replace(/\./g, '\\.')} .* recommended 17\\.12\\.1\\.5 `, 'm'));
    expect(result.stdout).toMatch(/^ap3g3 +latest 17\.12\.1\.5 /m);
    const again = await startDemoCatalog(dataDir, ensureDemoBundle(path.join(dataDir, 'demo-image-server'), 'scaled', vendorKey), 0, 'scaled', vendorKey);
    expect(again.fingerprint).toBe(demo.fingerprint);
    await again.service.close();
  });
});
