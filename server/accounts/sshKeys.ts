import ssh2, { type ParsedKey } from 'ssh2';
import { englishOf, sentence, type Sentence } from '../../lib/serverSentences';
import type { SshKeyView } from '../../lib/sshKeys';
import { sshKeyRows, type SshKeyRow } from '../store/sshKeyRepository';
import type { Executor } from '../store/store';
import { fingerprintOf } from '../sftp/hostKey';

// Node's ESM loader does not expose ssh2's CommonJS `utils` as a named export.
const { utils } = ssh2;

const toView = (row: SshKeyRow): SshKeyView => ({ id: row.id, keyType: row.key_type, fingerprint: row.fingerprint, comment: row.comment, createdAt: row.created_at });

const refusedKey = (said: Sentence) => ({ ok: false as const, message: englishOf(said), said });

/** Parses an authorized_keys line; a private key or anything else is refused with the reason (its English and its sentence). */
export function parsePublicKeyLine(line: string): { ok: true; key: ParsedKey; blob: Buffer } | { ok: false; message: string; said: Sentence } {
  const parsed = utils.parseKey(line.trim());
  const key = parsed instanceof Error ? null : Array.isArray(parsed) ? parsed[0] : parsed;
  if (!key) return refusedKey(sentence('sshKeyUnreadable'));
  if (key.isPrivateKey()) return refusedKey(sentence('sshKeyIsPrivate'));
  return { ok: true, key, blob: key.getPublicSSH() };
}

/** SSH public keys of console accounts, which log in to the CLI in place of the password. */
export class SshKeys {
  constructor(
    private readonly db: Executor,
    private readonly now: () => number = Date.now,
  ) {}

  async list(username: string): Promise<SshKeyView[]> {
    return (await sshKeyRows.ofUser(this.db, username)).map(toView);
  }

  /** The parsed keys of an account, to compare with what an SSH client offers. */
  async keysOf(username: string): Promise<ParsedKey[]> {
    return (await sshKeyRows.ofUser(this.db, username)).flatMap((row) => {
      const parsed = parsePublicKeyLine(`${row.key_type} ${row.key_blob}`);
      return parsed.ok ? [parsed.key] : [];
    });
  }

  /** Adds a key; null when the account already has it. `db` may be the transaction that also audits it. */
  async add(username: string, key: ParsedKey, blob: Buffer, db: Executor = this.db): Promise<SshKeyView | null> {
    const row = await sshKeyRows.insert(db, {
      username,
      key_type: key.type,
      key_blob: blob.toString('base64'),
      fingerprint: fingerprintOf(blob),
      comment: key.comment.replace(/[\u0000-\u001f\u007f]/g, ' ').slice(0, 200),
      created_at: new Date(this.now()).toISOString(),
    });
    return row ? toView(row) : null;
  }

  /** Removes one key of an account; returns its fingerprint, or null when there was none with that id. */
  async remove(username: string, id: number, db: Executor = this.db): Promise<string | null> {
    return (await sshKeyRows.delete(db, username, id))?.fingerprint ?? null;
  }
}
