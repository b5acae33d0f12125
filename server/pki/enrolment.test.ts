import { sql } from 'kysely';
import { execFile } from 'node:child_process';
import fs from 'node:fs';
import https from 'node:https';
import path from 'node:path';
import { promisify } from 'node:util';
import { afterEach, describe, expect, it } from 'vitest';
import { ApAgent } from '../sim/ap/apAgent';
import { ensureApCredentials } from '../sim/ap/apCredentials';
import { DEMO_FLEET } from '../sim/demo/demoFleet';
import { ENROL_PATH } from '../../lib/capwapEvents';
import { ADMIN, startConsoleHarness, waitFor, type ConsoleHarness } from '../sim/testing/consoleHarness';
import { apStorageDir } from '../sim/ap/apStorage';

const run = promisify(execFile);

let harness: ConsoleHarness | null = null;
const agents: ApAgent[] = [];
afterEach(async () => {
  for (const agent of agents.splice(0)) await agent.stop();
  await harness?.dispose();
  harness = null;
});

const caOf = (h: ConsoleHarness) => fs.readFileSync(path.join(h.instance.trust.pkiDir, 'ca.crt'), 'utf8');
const listOf = async (h: ConsoleHarness) =>
  (await h.instance.apAuthorizationApi.list()).body as { aps: { mac: string; status: string; connected: boolean; name: string | null }[]; tokens: { id: number; usedByMac: string | null }[] };

function agentFor(h: ConsoleHarness, ap: (typeof DEMO_FLEET)[number], enrolmentToken: string | null) {
  const agent = new ApAgent({
    controllerUrls: [h.capwapUrl],
    trust: { caCertPem: caOf(h), enrolmentToken },
    vendorKeys: [],
    ap,
    storageDir: apStorageDir(path.join(h.config.dataDir, 'fleet'), ap.mac),
    linkKbps: 0,
    reloadMs: 200,
  });
  agents.push(agent);
  return agent;
}

describe('AP enrolment and the AP authorization list', () => {
  it('without auto-approve, an AP that enrolled with the join token waits until an admin approves it, then joins', async () => {
    harness = await startConsoleHarness({ EWC_AP_AUTO_APPROVE: '0' });
    const h = harness;
    const ap = DEMO_FLEET[0];
    let joined = false;
    const started = agentFor(h, ap, h.instance.trust.joinToken)
      .start()
      .then(() => (joined = true));
    await waitFor(
      'the AP on the list',
      async () => (await listOf(h)).aps,
      (aps) => aps.some((row) => row.mac === ap.mac && row.status === 'pending'),
    );
    expect(joined).toBe(false);
    expect((await listOf(h)).aps.find((row) => row.mac === ap.mac)?.connected).toBe(false);
    expect((await h.instance.apAuthorizationApi.change(ap.mac.toUpperCase(), { status: 'approved' }, ADMIN)).status).toBe(200);
    await started;
    expect((await listOf(h)).aps.find((row) => row.mac === ap.mac)).toMatchObject({ status: 'approved', connected: true, name: ap.name });
  });

  it('a one-time enrolment token enrols the AP it was made for, once, and is stored only as a hash', async () => {
    harness = await startConsoleHarness({ EWC_AP_AUTO_APPROVE: '0' });
    const h = harness;
    const created = await h.instance.apAuthorizationApi.createToken({ mac: '70:F0:96:A1:4E:20', validHours: '2' }, ADMIN);
    expect(created.status).toBe(201);
    const { token } = created.body as { token: string };
    const dir = path.join(h.config.dataDir, 'other-ap');
    await expect(ensureApCredentials(dir, '0a00.0000.0009', [h.capwapUrl], { caCertPem: caOf(h), enrolmentToken: token })).rejects.toThrow('Enrolment refused: unknown, used or expired token');

    const agent = agentFor(h, DEMO_FLEET[2], token);
    await agent.start();
    expect((await listOf(h)).aps).toEqual([expect.objectContaining({ mac: '70f0.96a1.4e20', status: 'approved', connected: true })]);
    expect((await listOf(h)).tokens[0].usedByMac).toBe('70f0.96a1.4e20');
    await expect(ensureApCredentials(path.join(dir, 'again'), '70f0.96a1.4e20', [h.capwapUrl], { caCertPem: caOf(h), enrolmentToken: token })).rejects.toThrow(
      'Enrolment refused: unknown, used or expired token',
    );

    expect(JSON.stringify(await listOf(h))).not.toContain(token);
    // What the store holds, on either engine: the token's row has its hash, never the token.
    const rows = await h.instance.store.db.selectFrom('ap_enrolment_token').selectAll().execute();
    expect(rows).toHaveLength(1);
    expect(JSON.stringify(rows)).not.toContain(token);
    if (h.config.database.engine === 'sqlite') {
      // And no page of the SQLite files keeps it either (a deleted or rewritten row's bytes can linger there).
      await sql`pragma wal_checkpoint(PASSIVE)`.execute(h.instance.store.db);
      for (const file of ['ewc.sqlite', 'ewc.sqlite-wal']) {
        const bytes = path.join(h.config.dataDir, file);
        if (fs.existsSync(bytes)) expect(fs.readFileSync(bytes).includes(token), file).toBe(false);
      }
    }
    expect((await h.instance.auth.audit.recent()).some((entry) => entry.action === 'ap.token.create' && entry.detail.includes('for 70f0.96a1.4e20'))).toBe(true);
  });

  it('an AP whose certificate came from another CA (the console was set up anew) enrols again instead of being refused forever', async () => {
    const first = await startConsoleHarness();
    const storageDir = path.join(first.config.dataDir, '..', `${path.basename(first.config.dataDir)}-ap`);
    const caFirst = caOf(first);
    await ensureApCredentials(storageDir, '0a00.0000.0042', [first.capwapUrl], { caCertPem: caFirst, enrolmentToken: first.instance.trust.joinToken });
    const certFirst = fs.readFileSync(path.join(storageDir, 'ap.crt'), 'utf8');
    await first.dispose();
    try {
      harness = await startConsoleHarness();
      expect(caOf(harness)).not.toBe(caFirst);
      await ensureApCredentials(storageDir, '0a00.0000.0042', [harness.capwapUrl], { caCertPem: caOf(harness), enrolmentToken: harness.instance.trust.joinToken });
      expect(fs.readFileSync(path.join(storageDir, 'ap.crt'), 'utf8')).not.toBe(certFirst);
      expect((await listOf(harness)).aps.map((ap) => ap.mac)).toEqual(['0a00.0000.0042']);
    } finally {
      fs.rmSync(storageDir, { recursive: true, force: true });
    }
  });

  it('answers bad input at the API with a 400 and a field message', async () => {
    harness = await startConsoleHarness();
    const api = harness.instance.apAuthorizationApi;
    expect(await api.change('../../etc/passwd', { status: 'approved' }, ADMIN)).toMatchObject({ status: 400, body: { error: 'Not a MAC address: ../../etc/passwd' } });
    expect((await api.change('0a00.0000.0001', { status: 'maybe' }, ADMIN)).status).toBe(400);
    expect((await api.change('0a00.0000.0001', { status: 'approved' }, ADMIN)).status).toBe(404);
    // A CSR that is not one: refused before the one-time token is spent, so the token still enrols its AP.
    const { token } = (await api.createToken({}, ADMIN)).body as { token: string };
    expect(
      await harness.instance.trust.enrol({ mac: '0a00.0000.0007', token, csr: `-----BEGIN CERTIFICATE REQUEST-----\n${'A'.repeat(120)}\n-----END CERTIFICATE REQUEST-----` }, '127.0.0.1'),
    ).toEqual({
      status: 400,
      body: { error: 'Enrolment refused: the certificate request is not a PEM PKCS#10 CSR' },
    });
    expect(await harness.instance.trust.enrol({ mac: '0a00.0000.0007', token: 'short', csr: 'x' }, '127.0.0.1')).toMatchObject({ status: 400, body: { error: 'Invalid enrolment request' } });
    await ensureApCredentials(path.join(harness.config.dataDir, 'ap7'), '0a00.0000.0007', [harness.capwapUrl], { caCertPem: caOf(harness), enrolmentToken: token });
    expect((await listOf(harness)).aps.map((ap) => ap.status)).toEqual(['approved']);
    expect(await api.createToken({ mac: 'nope', validHours: 0 }, ADMIN)).toMatchObject({
      status: 400,
      body: {
        issues: [
          { path: 'mac', message: expect.stringContaining('must be a MAC address') },
          { path: 'validHours', message: 'at least 1 hour' },
        ],
      },
    });
  });

  it('certifies only ECDSA P-256 and P-384 keys and RSA keys of 2048 bits or more', async () => {
    harness = await startConsoleHarness();
    const h = harness;
    /** A CSR for `mac` made with openssl, as an AP's own tooling would make it. */
    const csrFor = async (mac: string, keyArgs: string[]) => {
      const keyFile = path.join(h.config.dataDir, `${mac}.key`);
      await run('openssl', ['genpkey', ...keyArgs, '-out', keyFile]);
      return (await run('openssl', ['req', '-new', '-key', keyFile, '-subj', `/CN=${mac}`])).stdout;
    };
    const enrol = async (mac: string, keyArgs: string[]) => await h.instance.trust.enrol({ mac, token: h.instance.trust.joinToken, csr: await csrFor(mac, keyArgs) }, '127.0.0.1');
    const wanted = 'this controller certifies ECDSA P-256 or P-384, or RSA of 2048 bits or more';
    expect(await enrol('0a00.0000.0101', ['-algorithm', 'RSA', '-pkeyopt', 'rsa_keygen_bits:1024'])).toEqual({
      status: 400,
      body: { error: `Enrolment refused: the certificate request's key is RSA of 1024 bits; ${wanted}` },
    });
    expect(await enrol('0a00.0000.0102', ['-algorithm', 'EC', '-pkeyopt', 'ec_paramgen_curve:secp521r1'])).toEqual({
      status: 400,
      body: { error: `Enrolment refused: the certificate request's key is ECDSA on secp521r1; ${wanted}` },
    });
    expect(await enrol('0a00.0000.0103', ['-algorithm', 'ED25519'])).toEqual({ status: 400, body: { error: `Enrolment refused: the certificate request's key is ed25519; ${wanted}` } });
    expect((await enrol('0a00.0000.0104', ['-algorithm', 'RSA', '-pkeyopt', 'rsa_keygen_bits:2048'])).status).toBe(201);
    expect((await enrol('0a00.0000.0105', ['-algorithm', 'EC', '-pkeyopt', 'ec_paramgen_curve:P-384'])).status).toBe(201);
    expect((await enrol('0a00.0000.0106', ['-algorithm', 'EC', '-pkeyopt', 'ec_paramgen_curve:P-256'])).status).toBe(201);
    expect((await listOf(h)).aps.map((ap) => ap.mac)).toEqual(['0a00.0000.0104', '0a00.0000.0105', '0a00.0000.0106']);
  });

  it('answers an oversized enrolment body with a 413 and a message, not a connection reset', async () => {
    harness = await startConsoleHarness();
    const h = harness;
    const post = (body: Buffer, chunked: boolean) =>
      new Promise<{ status: number; body: string }>((resolve, reject) => {
        const url = new URL(ENROL_PATH, h.capwapUrl);
        const headers: Record<string, string> = { 'content-type': 'application/json' };
        if (!chunked) headers['content-length'] = String(body.length);
        const req = https.request(url, { method: 'POST', ca: caOf(h), headers }, (res) => {
          let text = '';
          res.on('data', (chunk: Buffer) => (text += chunk.toString()));
          res.on('end', () => resolve({ status: res.statusCode ?? 0, body: text }));
        });
        req.on('error', reject);
        req.end(body);
      });
    const megabyte = Buffer.alloc(1024 * 1024, 0x20);
    for (const chunked of [false, true]) {
      const reply = await post(megabyte, chunked);
      expect(reply.status, `chunked: ${chunked}`).toBe(413);
      expect(JSON.parse(reply.body)).toEqual({ error: 'The enrolment request is larger than 16 KiB; it holds a MAC, a token and a CSR' });
    }
  });
});
