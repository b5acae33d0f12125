import fs from 'node:fs';
import path from 'node:path';
import { newHostKeyPem, writeHostKeyFile } from '../cli/hostKeyFile';
import { shareVendorKeys } from '../imageSigning/sharedVendorKeys';
import { SecretBoxError, type SecretBox } from '../secrets/secretBox';
import { sharedTrustRows, type SharedTrustName } from '../store/sharedTrustRepository';
import type { Executor } from '../store/store';
import { newToken, readJoinTokenFile, writeJoinTokenFile } from './joinToken';
import { CA_CERT_FILE, CA_KEY_FILE, createCaMaterial, readCaFiles, type CaMaterial } from './localCa';

/** What every node on one database admits APs with (the same CA and fleet join token), and the CLI's SSH host key. */
export interface SharedTrustMaterial {
  ca: CaMaterial;
  joinToken: string;
  cliHostKeyPem: string;
}

/** A node's folders (and file) that the shared trust is written into. */
export interface SharedTrustDirs {
  pkiDir: string;
  vendorKeyDir: string;
  /** The CLI's host key file (server/cli/hostKeyFile.ts's cliHostKeyPathOf), which its SSH server reads. */
  cliHostKeyFile: string;
}

export class SharedTrustError extends Error {}

// The CA is one row (key and certificate together), so no node ever pairs one node's key with another's certificate.
const CA_ROW: SharedTrustName = 'ca';
const TOKEN_ROW: SharedTrustName = 'fleet-join-token';
const CLI_HOST_KEY_ROW: SharedTrustName = 'cli-host-key';

/**
 * The local CA and the fleet join token of the nodes on a shared database. The first node offers its
 * data folder's (a console moved from SQLite keeps its APs), or new ones; every node then uses what the
 * database holds, the CA key and the token sealed with the shared secret key. Each node writes the CA
 * certificate and the join token into its `pki/` folder for `npm run fleet`; the CA key stays in the
 * database (a data folder's own `ca.key` that is not the shared CA's is set aside as `ca.key.replaced`).
 * The trusted vendor keys are shared too (shareVendorKeys), and so is the CLI's SSH host key (sealed), which
 * each node writes to its host key file: whichever node leads, or forwards its CLI port to the leader, `ssh`
 * meets the one key it trusted, never a changed one after a takeover.
 */
export async function loadSharedTrust(db: Executor, secrets: SecretBox, dirs: SharedTrustDirs): Promise<SharedTrustMaterial> {
  const { pkiDir } = dirs;
  let held = await sharedTrustRows.all(db);
  if (!held.has(CA_ROW) || !held.has(TOKEN_ROW) || !held.has(CLI_HOST_KEY_ROW)) {
    const offered = new Map<SharedTrustName, string>();
    if (!held.has(CA_ROW)) {
      const ca = readCaFiles(pkiDir) ?? (await createCaMaterial());
      offered.set(CA_ROW, JSON.stringify({ certPem: ca.certPem, sealedKey: secrets.seal(ca.keyPem) } satisfies CaRow));
    }
    if (!held.has(TOKEN_ROW)) offered.set(TOKEN_ROW, secrets.seal(readJoinTokenFile(pkiDir) ?? newToken()));
    // A console moved from SQLite offers the key its ssh users already trust.
    if (!held.has(CLI_HOST_KEY_ROW)) offered.set(CLI_HOST_KEY_ROW, secrets.seal(readFileIfAny(dirs.cliHostKeyFile) ?? newHostKeyPem()));
    // Two nodes starting at once on an empty database: the first insert wins, and both read it back.
    await sharedTrustRows.offer(db, offered);
    held = await sharedTrustRows.all(db);
  }
  const stored = JSON.parse(held.get(CA_ROW)!) as CaRow;
  const material = {
    ca: { certPem: stored.certPem, keyPem: opened(secrets, stored.sealedKey, 'the local CA key') },
    joinToken: opened(secrets, held.get(TOKEN_ROW)!, 'the fleet join token'),
    cliHostKeyPem: opened(secrets, held.get(CLI_HOST_KEY_ROW)!, "the CLI's SSH host key"),
  };
  writePkiFolder(pkiDir, material);
  writeCliHostKey(dirs.cliHostKeyFile, material.cliHostKeyPem);
  await shareVendorKeys(db, dirs.vendorKeyDir);
  return material;
}

/** The CA's row, as JSON: its certificate, and its private key sealed with the secret key. */
interface CaRow {
  certPem: string;
  sealedKey: string;
}

/** Seals the CA key, the join token and the CLI host key the database holds with `next` (a key rotation, in its transaction); returns how many it resealed. */
export async function resealSharedTrust(db: Executor, current: SecretBox, next: SecretBox): Promise<number> {
  const held = await sharedTrustRows.all(db);
  const ca = held.get(CA_ROW);
  const token = held.get(TOKEN_ROW);
  if (ca !== undefined) {
    const stored = JSON.parse(ca) as CaRow;
    await sharedTrustRows.replace(db, CA_ROW, JSON.stringify({ certPem: stored.certPem, sealedKey: next.seal(opened(current, stored.sealedKey, 'the local CA key')) } satisfies CaRow));
  }
  if (token !== undefined) await sharedTrustRows.replace(db, TOKEN_ROW, next.seal(opened(current, token, 'the fleet join token')));
  const hostKey = held.get(CLI_HOST_KEY_ROW);
  if (hostKey !== undefined) await sharedTrustRows.replace(db, CLI_HOST_KEY_ROW, next.seal(opened(current, hostKey, "the CLI's SSH host key")));
  return [ca, token, hostKey].filter((value) => value !== undefined).length;
}

function opened(secrets: SecretBox, sealed: string, what: string): string {
  try {
    return secrets.open(sealed);
  } catch (error) {
    if (error instanceof SecretBoxError) throw new SharedTrustError(`The database holds ${what} sealed with another EWC_SECRET_KEY: every node on one database needs the same key`);
    throw error;
  }
}

function writePkiFolder(pkiDir: string, material: SharedTrustMaterial): void {
  fs.mkdirSync(pkiDir, { recursive: true, mode: 0o700 });
  const local = readCaFiles(pkiDir);
  if (local && local.keyPem !== material.ca.keyPem) fs.renameSync(path.join(pkiDir, CA_KEY_FILE), path.join(pkiDir, `${CA_KEY_FILE}.replaced`));
  fs.writeFileSync(path.join(pkiDir, CA_CERT_FILE), material.ca.certPem);
  if (readJoinTokenFile(pkiDir) !== material.joinToken) writeJoinTokenFile(pkiDir, material.joinToken);
}

function readFileIfAny(file: string): string | null {
  return fs.existsSync(file) ? fs.readFileSync(file, 'utf8') : null;
}

/** The shared host key into the node's file; a key of its own that differs is set aside (`.replaced`), as the CA key is. */
function writeCliHostKey(file: string, pem: string): void {
  const local = readFileIfAny(file);
  if (local === pem) return;
  if (local !== null) fs.renameSync(file, `${file}.replaced`);
  writeHostKeyFile(file, pem);
}
