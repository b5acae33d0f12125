import ssh2, { type ParsedKey } from 'ssh2';
import type { SshKeyView } from '../../lib/sshKeys';
import type { Db } from '../store/database';
import { fingerprintOf } from '../sftp/hostKey';

// Node's ESM loader does not expose ssh2's CommonJS `utils` as a named export.
const { utils } = ssh2;

interface SshKeyRow {
  id: number;
  username: string;
  key_type: string;
  key_blob: string;
  fingerprint: string;
  comment: string;
  created_at: string;
}

const toView = (row: SshKeyRow): SshKeyView => ({ id: row.id, keyType: row.key_type, fingerprint: row.fingerprint, comment: row.comment, createdAt: row.created_at });

/** Parses an authorized_keys line; a private key or anything else is refused with the reason. */
export function parsePublicKeyLine(line: string): { ok: true; key: ParsedKey; blob: Buffer } | { ok: false; message: string } {
  const parsed = utils.parseKey(line.trim());
  const key = parsed instanceof Error ? null : Array.isArray(parsed) ? parsed[0] : parsed;
  if (!key) return { ok: false, message: 'Not an SSH public key: paste a line like "ssh-ed25519 AAAA… user@host"' };
  if (key.isPrivateKey()) return { ok: false, message: 'That is a private key: paste the public key (the .pub file) instead' };
  return { ok: true, key, blob: key.getPublicSSH() };
}

/** SSH public keys of console accounts, which log in to the CLI in place of the password. */
export class SshKeyRepository {
  constructor(
    private readonly db: Db,
    private readonly now: () => number = Date.now,
  ) {}

  list(username: string): SshKeyView[] {
    return (this.db.prepare('SELECT * FROM auth_ssh_key WHERE username = ? ORDER BY id').all(username) as SshKeyRow[]).map(toView);
  }

  /** The parsed keys of an account, to compare with what an SSH client offers. */
  keysOf(username: string): ParsedKey[] {
    const rows = this.db.prepare('SELECT * FROM auth_ssh_key WHERE username = ?').all(username) as SshKeyRow[];
    return rows.flatMap((row) => {
      const parsed = parsePublicKeyLine(`${row.key_type} ${row.key_blob}`);
      return parsed.ok ? [parsed.key] : [];
    });
  }

  /** Adds a key; null when the account already has it. */
  add(username: string, key: ParsedKey, blob: Buffer): SshKeyView | null {
    const fingerprint = fingerprintOf(blob);
    const info = this.db
      .prepare('INSERT INTO auth_ssh_key (username, key_type, key_blob, fingerprint, comment, created_at) VALUES (?, ?, ?, ?, ?, ?) ON CONFLICT DO NOTHING')
      .run(username, key.type, blob.toString('base64'), fingerprint, key.comment.replace(/[\u0000-\u001f\u007f]/g, ' ').slice(0, 200), new Date(this.now()).toISOString());
    if (info.changes === 0) return null;
    return toView(this.db.prepare('SELECT * FROM auth_ssh_key WHERE id = ?').get(info.lastInsertRowid) as SshKeyRow);
  }

  /** Removes one key of an account; returns its fingerprint, or null when there was none with that id. */
  remove(username: string, id: number): string | null {
    const row = this.db.prepare('SELECT * FROM auth_ssh_key WHERE username = ? AND id = ?').get(username, id) as SshKeyRow | undefined;
    if (!row) return null;
    this.db.prepare('DELETE FROM auth_ssh_key WHERE id = ?').run(id);
    return row.fingerprint;
  }
}
