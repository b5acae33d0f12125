import { createServer, type AddressInfo, type Socket } from 'node:net';
import { StringDecoder } from 'node:string_decoder';
import ssh2, { type AuthContext, type Connection, type PublicKeyAuthContext, type ServerChannel, type Session } from 'ssh2';
import { loadOrCreateHostKey } from './hostKeyFile';
import { fingerprintOf } from '../sftp/hostKey';
import type { AccessLimiter } from '../auth/sourceLimiter';
import type { CliAuth, CliLogin } from './cliAuth';
import type { CliActor, CliBackend } from './cliBackend';
import { CliInterpreter } from './cliInterpreter';
import { DEFAULT_MAX_LINE_LENGTH, TerminalSession } from './terminalSession';
import { plainAddress } from '../../lib/netAddress';

const { Server, utils } = ssh2;

export interface CliServerOptions {
  host: string;
  /** 0 picks a free port. */
  port: number;
  /** Created on the first start, so the fingerprint users trust stays the same. */
  hostKeyPath: string;
  backend: CliBackend;
  auth: CliAuth;
  /** The console's per-source limiter: SSH logins draw from the same `login` budget as the web login. */
  limiter: AccessLimiter;
  /** Defaults to the web session's idle limit. */
  idleMs?: number;
  maxLineLength?: number;
  /**
   * On a database several nodes share: reads the preamble a standby sends before the SSH bytes of a connection
   * it forwards (server/cluster/sourcePreamble.ts), so that the limiter and the audit trail see the client's
   * address rather than the standby's. Undefined: every connection is its peer's own (SQLite, one node).
   */
  forwardedSource?: (socket: Socket) => Socket;
}

export interface CliServer {
  /** `SHA256:…` of the host key, printed at start so users can check what ssh shows them. */
  fingerprint: string;
  /** Resolves with the port once listening; rejects when the port cannot be bound. */
  listening: Promise<number>;
  /** What every session's commands run against: a session driven without SSH (the model-based test) uses it too. */
  backend: CliBackend;
  close(): Promise<void>;
}

/** As OpenSSH's MaxAuthTries: a connection is closed after this many failed login attempts. */
export const MAX_AUTH_TRIES = 3;

/** The audit trail's source for a CLI action: the peer address, marked as SSH. */
export function sshSource(ip: string | undefined): string {
  return `${plainAddress(ip)} (ssh)`;
}

/** The controller's IOS-XE style CLI over SSH (ssh2's server), authenticating the console's own accounts. */
export function startCliServer(options: CliServerOptions): CliServer {
  const hostKey = loadOrCreateHostKey(options.hostKeyPath);
  const parsed = utils.parseKey(hostKey);
  if (parsed instanceof Error) throw new Error(`Unreadable CLI host key ${options.hostKeyPath}: ${parsed.message}`);
  const fingerprint = fingerprintOf((Array.isArray(parsed) ? parsed[0] : parsed).getPublicSSH());
  const connections = new Set<Connection>();
  const sockets = new Set<Socket>();
  const ssh = new Server({ hostKeys: [hostKey] }, (connection, info) => {
    connections.add(connection);
    connection.on('close', () => connections.delete(connection));
    serveConnection(connection, plainAddress(info.ip), options);
  });
  // Our own listener hands sockets to ssh2, so that closing can cut a client that never hangs up
  // (Ansible's persistent connection daemon keeps its session open for 30 s after the play).
  const server = createServer((socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
    socket.on('error', () => undefined);
    ssh.injectSocket(options.forwardedSource ? options.forwardedSource(socket) : socket);
  });
  const listening = new Promise<number>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port, options.host, () => {
      server.off('error', reject);
      resolve((server.address() as AddressInfo).port);
    });
  });
  // A caller that never awaits `listening` must not crash the process with an unhandled rejection.
  listening.catch(() => undefined);
  return {
    fingerprint,
    listening,
    backend: options.backend,
    close: () =>
      new Promise<void>((resolve) => {
        for (const connection of connections) connection.end();
        const cut = setTimeout(() => sockets.forEach((socket) => socket.destroy()), 200);
        if (!server.listening) {
          clearTimeout(cut);
          sockets.forEach((socket) => socket.destroy());
          return resolve();
        }
        server.close(() => {
          clearTimeout(cut);
          resolve();
        });
      }),
  };
}

function serveConnection(connection: Connection, address: string, options: CliServerOptions): void {
  const { auth, limiter } = options;
  const source = sshSource(address);
  let login: CliLogin | null = null;
  let failures = 0;
  let endedElsewhere = false;
  let stopListening: (() => void) | null = null;
  const terminals = new Set<TerminalSession>();

  connection.on('authentication', (ctx: AuthContext) => {
    try {
      authenticate(ctx);
    } catch (error) {
      console.error('CLI login failed inside the console:', error instanceof Error ? error.message : error);
      ctx.reject();
    }
  });

  // A failed attempt counts towards MAX_AUTH_TRIES. The last one is answered by disconnecting, not with
  // a failure (as sshd does), so the client offers nothing more.
  const failed = (ctx: AuthContext) => {
    failures += 1;
    if (failures >= MAX_AUTH_TRIES) connection.end();
    else ctx.reject(['password', 'publickey']);
  };

  // The source's login budget, asked before any work: over it, the connection is closed unanswered.
  const admitted = (): (() => void) | null => {
    const admission = limiter.admit('login', address);
    if (admission.ok) return admission.release;
    failures = MAX_AUTH_TRIES;
    connection.end();
    return null;
  };

  const authenticate = (ctx: AuthContext) => {
    if (login) return ctx.accept();
    // Requests the client sent before it saw the disconnect are not attempts any more.
    if (failures >= MAX_AUTH_TRIES) return;
    // `none` only asks which methods the server takes: no attempt, as OpenSSH counts it.
    if (ctx.method === 'none') return ctx.reject(['password', 'publickey']);
    if (ctx.method === 'password') {
      const release = admitted();
      if (!release) return;
      void auth
        .password(ctx.username, ctx.password, source)
        .then((result) => {
          if (result.ok) {
            release();
            return accepted(result.login, () => ctx.accept());
          }
          // Each failure answers later than the last, as the web login does; the attempt holds its slot until then.
          setTimeout(() => {
            release();
            failed(ctx);
          }, result.delayMs);
        })
        .catch((error: unknown) => {
          release();
          console.error('CLI login failed inside the console:', error instanceof Error ? error.message : error);
          ctx.reject();
        });
      return;
    }
    if (ctx.method === 'publickey') {
      publicKeyAttempt(ctx).catch((error: unknown) => {
        console.error('CLI login failed inside the console:', error instanceof Error ? error.message : error);
        ctx.reject();
      });
      return;
    }
    failed(ctx);
  };

  const publicKeyAttempt = async (ctx: PublicKeyAuthContext) => {
    const key = (await auth.publicKeys(ctx.username)).find((k) => k.getPublicSSH().equals(ctx.key.data));
    // Without a signature the client only asks whether this key would do: free for a key of the account,
    // an attempt for any other (otherwise keys and names could be probed without limit).
    if (!ctx.signature || !ctx.blob) {
      if (key) return ctx.accept();
      const release = admitted();
      if (!release) return;
      release();
      return failed(ctx);
    }
    const release = admitted();
    if (!release) return;
    release();
    if (!key || key.verify(ctx.blob, ctx.signature, ctx.hashAlgo) !== true) return failed(ctx);
    const opened = await auth.keyLogin(ctx.username, fingerprintOf(ctx.key.data), source);
    return opened ? accepted(opened, () => ctx.accept()) : failed(ctx);
  };

  const accepted = (opened: CliLogin, accept: () => void) => {
    login = opened;
    const idHash = auth.idHash(opened.sessionId);
    stopListening = auth.onSessionEnded((ended) => {
      if (ended !== idHash) return;
      endedElsewhere = true;
      connection.end();
    });
    accept();
  };

  connection.on('ready', () => {
    const actor: CliActor = { username: login!.user.username, role: login!.user.role, sourceAddress: source };
    connection.on('session', (acceptSession) => serveSession(connection, acceptSession(), actor, login!.sessionId, terminals, options));
  });

  connection.on('error', () => undefined);
  connection.on('close', () => {
    for (const terminal of terminals) terminal.end();
    stopListening?.();
    if (login && !endedElsewhere) void auth.logout(login.sessionId, source).catch((error: Error) => console.error(`CLI logout: ${error.message}`));
  });
}

function serveSession(connection: Connection, session: Session, actor: CliActor, sessionId: string, terminals: Set<TerminalSession>, options: CliServerOptions): void {
  const { auth, backend } = options;
  const sessionAlive = () => auth.touch(sessionId);
  session.on('pty', (accept) => accept?.());
  session.on('window-change', (accept) => accept?.());
  session.on('env', (accept) => accept?.());
  session.once('shell', (accept) => {
    const stream: ServerChannel = accept();
    const terminal = new TerminalSession(
      {
        write: (text) => stream.write(text),
        // exit, logout and the idle timeout end the login, as on IOS, not only this channel. The
        // connection ends once the channel closed, so output still queued in the channel is delivered first.
        close: () => {
          const hangUp = setTimeout(() => connection.end(), 2000);
          stream.once('close', () => {
            clearTimeout(hangUp);
            connection.end();
          });
          stream.exit(0);
          stream.end();
        },
      },
      new CliInterpreter(backend, actor),
      {
        maxLineLength: options.maxLineLength ?? DEFAULT_MAX_LINE_LENGTH,
        idleMs: options.idleMs ?? auth.idleMs,
        sessionAlive,
        onError: (error) => console.error('CLI command failed:', error instanceof Error ? error.message : error),
      },
    );
    terminals.add(terminal);
    // A character of several bytes may arrive split across two packets.
    const decoder = new StringDecoder('utf8');
    stream.on('data', (data: Buffer) => terminal.receive(decoder.write(data)));
    stream.on('close', () => {
      terminal.end();
      terminals.delete(terminal);
    });
    terminal.start();
  });
  // `ssh admin@controller show ap image`: one command, its whole output, then the exit status.
  session.once('exec', (accept, _reject, info) => {
    const stream: ServerChannel = accept();
    const cli = new CliInterpreter(backend, actor);
    cli.terminal.length = 0;
    const command = info.command.length > (options.maxLineLength ?? DEFAULT_MAX_LINE_LENGTH) ? null : info.command;
    const run = sessionAlive().then((alive) => (command === null || !alive ? ['% Command refused.'] : cli.execute(command).finally(() => cli.finish())));
    void run
      .catch(() => ['% Error: the command failed inside the console; see its log.'])
      .then((lines) => {
        if (lines.length > 0) stream.write(`${lines.join('\n')}\n`);
        const failed = lines.some((l) => l.startsWith('% '));
        stream.exit(failed ? 1 : 0);
        stream.end();
      });
  });
}
