import { keyTypeLabel } from '../../lib/hostKeyType';
import { findHostKeyType, type PresentedKey } from './hostKey';
import { cancelled, classifyConnectionError, SftpError } from './sftpError';
import { HostKeyMismatch, openSession, type HostKeyPin, type Session, type SessionTarget } from './sftpSession';

/**
 * A session whose server presents the pinned host key. A fingerprint pinned without its type (pasted
 * from `ssh-keygen -lf`) may be any of the server's keys, and the first key exchange shows only the one
 * ssh2 prefers: before calling the key changed, look for the pinned one among the server's other keys,
 * then connect asking for that type. A pin with its type needs no search: a fingerprint covers the type.
 */
export async function openPinnedSession(target: SessionTarget, pin: HostKeyPin, timeoutMs: number): Promise<Session> {
  try {
    return await openSession(target, pin, timeoutMs);
  } catch (error) {
    if (!(error instanceof HostKeyMismatch) || pin.keyType !== null) throw error;
    let found: Awaited<ReturnType<typeof findHostKeyType>>;
    try {
      found = await findHostKeyType({ host: target.host, port: target.port, timeoutMs, fingerprint: error.expected, seen: [error.seen] });
    } catch (searchError) {
      throw classifyConnectionError(searchError as Error);
    }
    if (!found.match) throw hostKeyChanged(error.expected, found.seen);
    // The search's short connections do not watch the signal.
    if (target.signal?.aborted) throw cancelled();
    return openSession(target, { ...pin, keyType: found.match }, timeoutMs);
  }
}

/** `Host key changed: expected …, got …`, naming every key the server presented (with its type when there are several). */
export function hostKeyChanged(expected: string, seen: readonly PresentedKey[]): SftpError {
  const got = seen.length === 1 ? seen[0].fingerprint : seen.map((key) => `${key.fingerprint} (${keyTypeLabel(key.keyType)})`).join(', ');
  return new SftpError('host-key', `Host key changed: expected ${expected}, got ${got}`);
}
