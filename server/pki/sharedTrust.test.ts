import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { loadOrCreateHostKey } from '../cli/hostKeyFile';
import { SecretBox } from '../secrets/secretBox';
import { testStores } from '../sim/testing/testStores';
import { loadOrCreateJoinToken } from './joinToken';
import { LocalCa, readCaFiles } from './localCa';
import { loadSharedTrust, resealSharedTrust, SharedTrustError } from './sharedTrust';

const KEY = new SecretBox(Buffer.alloc(32, 1));
const stores = testStores('postgres');
const dirs: string[] = [];
afterEach(() => {
  for (const dir of dirs.splice(0)) fs.rmSync(dir, { recursive: true, force: true });
});
const nodeDirs = () => {
  const root = fs.mkdtempSync(path.join(os.tmpdir(), 'ewc-shared-'));
  dirs.push(root);
  return { pkiDir: path.join(root, 'pki'), vendorKeyDir: path.join(root, 'vendor-keys'), cliHostKeyFile: path.join(root, 'cli-ssh-host-key') };
};

describe('the trust the nodes on one database share', () => {
  it('is made once when two nodes start at the same moment on an empty database', async () => {
    const { db } = await stores.open();
    const [a, b] = await Promise.all([loadSharedTrust(db, KEY, nodeDirs()), loadSharedTrust(db, KEY, nodeDirs())]);
    expect(b).toEqual(a);
    expect((await db.selectFrom('shared_trust').select('name').orderBy('name').execute()).map((row) => row.name)).toEqual(['ca', 'cli-host-key', 'fleet-join-token']);
    // The CA key and the CLI's host key are sealed in the database, never in clear.
    expect(JSON.stringify(await db.selectFrom('shared_trust').selectAll().execute())).not.toContain('PRIVATE KEY');
  });

  it("takes the first node's own CA and join token from its data folder, so APs it admitted before keep joining", async () => {
    const { db } = await stores.open();
    const moved = nodeDirs();
    const ca = await LocalCa.open(moved.pkiDir, ['127.0.0.1']);
    const token = loadOrCreateJoinToken(moved.pkiDir);
    const shared = await loadSharedTrust(db, KEY, moved);
    expect(shared.ca.certPem).toBe(ca.caCertPem);
    expect(shared.joinToken).toBe(token);
    expect(readCaFiles(moved.pkiDir)?.keyPem).toBe(shared.ca.keyPem);

    // A node whose folder had a CA of its own sets its key aside and takes the shared one.
    const other = nodeDirs();
    await LocalCa.open(other.pkiDir, ['127.0.0.1']);
    expect(await loadSharedTrust(db, KEY, other)).toEqual(shared);
    expect(fs.readdirSync(other.pkiDir).sort()).toEqual(['ca.crt', 'ca.key.replaced', 'fleet-join-token']);
    expect(fs.readFileSync(path.join(other.pkiDir, 'ca.crt'), 'utf8')).toBe(ca.caCertPem);
  });

  it("gives every node the CLI's SSH host key: the first node's own, written into each node's host key file", async () => {
    const { db } = await stores.open();
    const moved = nodeDirs();
    const ownKey = loadOrCreateHostKey(moved.cliHostKeyFile);
    const shared = await loadSharedTrust(db, KEY, moved);
    expect(shared.cliHostKeyPem).toBe(ownKey);
    expect(fs.readFileSync(moved.cliHostKeyFile, 'utf8')).toBe(ownKey);

    // A node that had a key of its own sets it aside and serves the shared one; an empty folder gets it too.
    const other = nodeDirs();
    const otherKey = loadOrCreateHostKey(other.cliHostKeyFile);
    expect(otherKey).not.toBe(ownKey);
    expect((await loadSharedTrust(db, KEY, other)).cliHostKeyPem).toBe(ownKey);
    expect(fs.readFileSync(other.cliHostKeyFile, 'utf8')).toBe(ownKey);
    expect(fs.readFileSync(`${other.cliHostKeyFile}.replaced`, 'utf8')).toBe(otherKey);
    const empty = nodeDirs();
    await loadSharedTrust(db, KEY, empty);
    expect(loadOrCreateHostKey(empty.cliHostKeyFile)).toBe(ownKey);
  });

  it('stops a node whose secret key is not the one the database was sealed with, saying so', async () => {
    const { db } = await stores.open();
    await loadSharedTrust(db, KEY, nodeDirs());
    await expect(loadSharedTrust(db, new SecretBox(Buffer.alloc(32, 2)), nodeDirs())).rejects.toThrow(
      new SharedTrustError('The database holds the local CA key sealed with another EWC_SECRET_KEY: every node on one database needs the same key'),
    );
  });

  it('is resealed by a key rotation: the new key opens the same CA and token, the old one no longer does', async () => {
    const { store, db } = await stores.open();
    const before = await loadSharedTrust(db, KEY, nodeDirs());
    const next = new SecretBox(Buffer.alloc(32, 3));
    expect(await store.transaction((tx) => resealSharedTrust(tx, KEY, next))).toBe(3);
    expect(await loadSharedTrust(db, next, nodeDirs())).toEqual(before);
    await expect(loadSharedTrust(db, KEY, nodeDirs())).rejects.toThrow(SharedTrustError);
  });
});
