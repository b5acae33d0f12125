import type { ParsedKey } from 'ssh2';
import type { Role } from '../../lib/validations/authSchemas';

export interface CliLogin {
  sessionId: string;
  user: { username: string; role: Role };
}

/**
 * The console's accounts as the SSH server sees them: the web login's password check (same lockout,
 * delays and audit), the public keys an admin added, and the session store, so an SSH login is one more
 * session that ends, expires and is audited like the page's.
 */
export interface CliAuth {
  password(username: string, password: string, sourceAddress: string): Promise<{ ok: true; login: CliLogin } | { ok: false; delayMs: number }>;
  publicKeys(username: string): Promise<ParsedKey[]>;
  /** Opens a session once the client proved it holds one of the account's keys; refused while the account is locked. */
  keyLogin(username: string, fingerprint: string, sourceAddress: string): Promise<CliLogin | null>;
  /** Slides the session's idle expiry; false once it ended. */
  touch(sessionId: string): Promise<boolean>;
  logout(sessionId: string, sourceAddress: string): Promise<void>;
  /** Told with the session id's hash when a session ends elsewhere (account removed, password or role changed, expired). */
  onSessionEnded(listener: (idHash: string) => void): () => void;
  idHash(sessionId: string): string;
  /** The web session's idle limit, which the CLI applies to keystrokes. */
  idleMs: number;
}
