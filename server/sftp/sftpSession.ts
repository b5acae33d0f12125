import { Client, type ConnectConfig } from 'ssh2';
import { hostKeyAlgorithmsPreferring, isHostKeyType, type HostKeyType } from '../../lib/hostKeyType';
import { fingerprintOf, keyTypeOf, type PresentedKey } from './hostKey';
import { SftpChannel } from './sftpChannel';
import { cancelled, classifyConnectionError, scrub, SftpError, timedOut } from './sftpError';
import { connectRingSocket } from './ringSocket';

export interface SftpCredentials {
  username: string;
  password?: string;
  privateKey?: string | Buffer;
  passphrase?: string;
}

/** Where a session connects and as whom. */
export interface SessionTarget {
  host: string;
  port: number;
  credentials: SftpCredentials;
  signal?: AbortSignal;
}

/** What the server's host key must be: a pinned fingerprint (its type asked for first), or the caller's say. */
export interface HostKeyPin {
  fingerprint: string | null;
  keyType: HostKeyType | null;
  /** Asked when no fingerprint is pinned; false refuses. */
  onHostKey?: (fingerprint: string) => boolean;
}

/** The server presented a key other than the pinned one; the caller may look for the pinned one among its others. */
export class HostKeyMismatch extends SftpError {
  constructor(
    readonly expected: string,
    readonly seen: PresentedKey,
  ) {
    super('host-key', `Host key changed: expected ${expected}, got ${seen.fingerprint}`);
  }
}

// SFTP status codes (draft-ietf-secsh-filexfer-02 §7).
const STATUS_NO_SUCH_FILE = 2;
const STATUS_PERMISSION_DENIED = 3;

export interface Session {
  sftp: SftpChannel;
  fingerprint: string;
  /** The type of the host key the server presented, `ssh-rsa` for any RSA signature algorithm. */
  keyType: HostKeyType | null;
  /** Set once the SSH connection failed or closed: a better reason than the SFTP layer's "channel closed". */
  lostWith(): SftpError | null;
  /** Rejects when the connection drops or the signal fires, so that a stalled operation ends at once. */
  broken: Promise<never>;
  close(): void;
  abort(): void;
}

export function openSession(target: SessionTarget, pin: HostKeyPin, timeoutMs: number): Promise<Session> {
  const { host, port, credentials, signal } = target;
  return new Promise<Session>((resolve, reject) => {
    const client = new Client();
    const socket = connectRingSocket(host, port);
    // ssh2 writes many small packets; with Nagle's algorithm each waits for the previous ACK.
    socket.setNoDelay(true);
    let fingerprint = '';
    let keyType: HostKeyType | null = null;
    let hostKeyError: SftpError | null = null;
    let lost: SftpError | null = null;
    let ready = false;
    let onBroken: (error: SftpError) => void = () => undefined;
    const broken = new Promise<never>((_, rejectBroken) => {
      onBroken = rejectBroken;
    });
    broken.catch(() => undefined);

    const fail = (error: SftpError) => {
      if (!lost) lost = error;
      if (ready) {
        onBroken(lost);
        return;
      }
      clearTimeout(timer);
      signal?.removeEventListener('abort', onAbort);
      client.end();
      socket.destroy();
      reject(lost);
    };
    const onAbort = () => {
      fail(cancelled());
      socket.destroy();
    };
    const timer = setTimeout(() => fail(timedOut()), timeoutMs);
    signal?.addEventListener('abort', onAbort, { once: true });
    // Attached for the whole life of the client: an unhandled 'error' event would crash the process.
    client.on('error', (error) => fail(hostKeyError ?? classifyConnectionError(error)));
    client.on('close', () => fail(hostKeyError ?? new SftpError('connection', 'Connection closed by remote host')));
    client.on('ready', () => {
      client.subsys('sftp', (error, stream) => {
        if (error) return fail(new SftpError('connection', 'SFTP subsystem unavailable', { cause: scrub(error) }));
        SftpChannel.start(stream).then(
          (sftp) => {
            if (lost) return;
            ready = true;
            clearTimeout(timer);
            resolve({
              sftp,
              fingerprint,
              keyType,
              lostWith: () => lost,
              broken,
              close: () => {
                signal?.removeEventListener('abort', onAbort);
                client.end();
              },
              abort: () => {
                signal?.removeEventListener('abort', onAbort);
                socket.destroy();
              },
            });
          },
          (startError: unknown) => fail(new SftpError('connection', 'SFTP subsystem unavailable', { cause: scrub(startError) })),
        );
      });
    });

    const verifyHostKey = (key: Buffer): boolean => {
      fingerprint = fingerprintOf(key);
      const type = keyTypeOf(key);
      keyType = isHostKeyType(type) ? type : null;
      if (pin.fingerprint !== null) {
        if (fingerprint === pin.fingerprint) return true;
        hostKeyError = new HostKeyMismatch(pin.fingerprint, { fingerprint, keyType: type });
        return false;
      }
      if (pin.onHostKey && !pin.onHostKey(fingerprint)) {
        hostKeyError = new SftpError('host-key', `Host key not trusted: ${fingerprint}`);
        return false;
      }
      return true;
    };
    const config: ConnectConfig = {
      sock: socket,
      username: credentials.username,
      password: credentials.password,
      privateKey: credentials.privateKey,
      passphrase: credentials.passphrase,
      tryKeyboard: false,
      hostVerifier: verifyHostKey,
      // The pinned key's type first: a server with several keys presents the one asked for (as \`ssh\` does with known_hosts).
      algorithms: { serverHostKey: hostKeyAlgorithmsPreferring(pin.keyType) },
      // Our own timer covers connect, handshake, authentication and the subsystem start as one deadline.
      readyTimeout: 0,
      // A server that vanishes without a FIN would otherwise leave every request waiting forever.
      keepaliveInterval: Math.max(1_000, Math.min(10_000, Math.floor(timeoutMs / 3))),
      keepaliveCountMax: 3,
    };
    try {
      client.connect(config);
    } catch (error) {
      // ssh2 throws synchronously for an unreadable key or a wrong passphrase.
      fail(new SftpError('auth', 'Authentication failed', { cause: scrub(error) }));
    }
  });
}

export function classifySftpError(error: unknown, session: Session): SftpError {
  if (error instanceof SftpError) return error;
  const lost = session.lostWith();
  if (lost) return lost;
  const status = (error as { code?: unknown }).code;
  if (status === STATUS_NO_SUCH_FILE) return new SftpError('not-found', 'No such file or directory');
  if (status === STATUS_PERMISSION_DENIED) return new SftpError('permission', 'Permission denied');
  // Without a status code, the request failed because the channel closed under it.
  if (typeof status !== 'number') return new SftpError('connection', 'Connection closed by remote host', { cause: scrub(error) });
  return new SftpError('io', (error as Error).message || 'Failure', { cause: scrub(error) });
}

/** Runs one SFTP request with its own deadline: ssh2 waits forever for a server that stays silent. */
export function request<T>(session: Session, timeoutMs: number, start: (done: (error: Error | null | undefined, value?: T) => void) => void): Promise<T> {
  return new Promise<T>((resolve, reject) => {
    const timer = setTimeout(() => reject(timedOut()), timeoutMs);
    session.broken.catch((error: unknown) => {
      clearTimeout(timer);
      reject(error);
    });
    try {
      start((error, value) => {
        clearTimeout(timer);
        if (error) reject(classifySftpError(error, session));
        else resolve(value as T);
      });
    } catch (error) {
      clearTimeout(timer);
      reject(classifySftpError(error, session));
    }
  });
}
