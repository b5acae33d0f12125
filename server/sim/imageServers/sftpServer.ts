import { createHash, timingSafeEqual } from 'node:crypto';
import { open, readdir, realpath, stat, type FileHandle } from 'node:fs/promises';
import { join, posix, sep } from 'node:path';
import ssh2, { type Attributes, type Connection, type SFTPWrapper } from 'ssh2';
import { loadOrCreateHostKey } from '../../cli/hostKeyFile';
import { fingerprintOf } from '../../sftp/hostKey';

/** The demo mode's image server: read-only SFTP over files under `root`, one user, password login. */
export interface DemoSftpServerOptions {
  /** The login directory: `/` and relative paths both start here, and nothing outside it is served. */
  root: string;
  host?: string;
  /** 0 picks a free port. */
  port?: number;
  username: string;
  password: string;
  /** Where the host key lives; generated on first start so that its fingerprint stays the same. */
  hostKeyPath: string;
}

export interface DemoSftpServer {
  host: string;
  port: number;
  fingerprint: string;
  close(): Promise<void>;
}

// Node's ESM loader sees only some of ssh2's CommonJS exports by name (not Server or utils).
const { Server, utils } = ssh2;
const { OPEN_MODE, STATUS_CODE } = utils.sftp;
/** Same limit as OpenSSH's sftp-server, so that a large read cannot make us allocate much. */
const MAX_READ = 261_120;
const WRITE_FLAGS = OPEN_MODE.WRITE | OPEN_MODE.APPEND | OPEN_MODE.CREAT | OPEN_MODE.TRUNC | OPEN_MODE.EXCL;

export async function startSftpServer({ root, host = '127.0.0.1', port = 0, username, password, hostKeyPath }: DemoSftpServerOptions): Promise<DemoSftpServer> {
  const hostKey = loadOrCreateHostKey(hostKeyPath);
  const parsed = utils.parseKey(hostKey);
  if (parsed instanceof Error) throw new Error(`Unreadable host key ${hostKeyPath}: ${parsed.message}`);
  const fingerprint = fingerprintOf((Array.isArray(parsed) ? parsed[0] : parsed).getPublicSSH());
  const realRoot = await realpath(root);
  const connections = new Set<Connection>();

  const server = new Server({ hostKeys: [hostKey] }, (connection) => {
    connections.add(connection);
    connection.on('close', () => connections.delete(connection));
    connection.on('error', () => connection.end());
    connection.on('authentication', (ctx) => {
      if (ctx.method === 'password' && sameSecret(ctx.username, username) && sameSecret(ctx.password, password)) ctx.accept();
      else ctx.reject(['password']);
    });
    connection.on('ready', () => {
      connection.on('session', (acceptSession) => {
        const session = acceptSession();
        session.on('sftp', (acceptSftp) => serveReadOnly(acceptSftp(), realRoot));
      });
    });
  });

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, () => {
      server.off('error', reject);
      resolve();
    });
  });
  const address = server.address();
  if (typeof address !== 'object' || address === null) throw new Error('The SFTP server has no address');
  return {
    host,
    port: address.port,
    fingerprint,
    close: () =>
      new Promise<void>((resolve) => {
        for (const connection of connections) connection.end();
        server.close(() => resolve());
      }),
  };
}

/** Compares digests so that neither the length nor a common prefix of the secret shows in the timing. */
function sameSecret(given: string, expected: string): boolean {
  const digest = (value: string) => createHash('sha256').update(value).digest();
  return timingSafeEqual(digest(given), digest(expected));
}

type OpenHandle = { kind: 'file'; file: FileHandle } | { kind: 'dir'; path: string; listed: boolean };

function serveReadOnly(sftp: SFTPWrapper, root: string): void {
  const handles = new Map<number, OpenHandle>();
  let nextHandle = 1;
  const newHandle = (entry: OpenHandle) => {
    const id = nextHandle++;
    handles.set(id, entry);
    const buffer = Buffer.alloc(4);
    buffer.writeUInt32BE(id);
    return buffer;
  };
  const lookup = (handle: Buffer) => (handle.length === 4 ? handles.get(handle.readUInt32BE(0)) : undefined);
  const fail = (reqId: number, error: unknown) => sftp.status(reqId, statusOf(error));
  const denied = (reqId: number) => sftp.status(reqId, STATUS_CODE.PERMISSION_DENIED);

  sftp.on('OPEN', (reqId, filename, flags) => {
    if (flags & WRITE_FLAGS) return denied(reqId);
    resolveInside(root, filename)
      .then((local) => open(local, 'r'))
      .then((file) => sftp.handle(reqId, newHandle({ kind: 'file', file })))
      .catch((error: unknown) => fail(reqId, error));
  });
  sftp.on('READ', (reqId, handle, offset, length) => {
    const entry = lookup(handle);
    if (entry?.kind !== 'file') return sftp.status(reqId, STATUS_CODE.FAILURE);
    const buffer = Buffer.allocUnsafe(Math.min(length, MAX_READ));
    entry.file
      .read(buffer, 0, buffer.length, offset)
      .then(({ bytesRead }) => (bytesRead === 0 ? sftp.status(reqId, STATUS_CODE.EOF) : sftp.data(reqId, buffer.subarray(0, bytesRead))))
      .catch((error: unknown) => fail(reqId, error));
  });
  sftp.on('FSTAT', (reqId, handle) => {
    const entry = lookup(handle);
    if (entry?.kind !== 'file') return sftp.status(reqId, STATUS_CODE.FAILURE);
    entry.file
      .stat()
      .then((info) => sftp.attrs(reqId, attributesOf(info)))
      .catch((error: unknown) => fail(reqId, error));
  });
  const statPath = (reqId: number, path: string) => {
    resolveInside(root, path)
      .then((local) => stat(local))
      .then((info) => sftp.attrs(reqId, attributesOf(info)))
      .catch((error: unknown) => fail(reqId, error));
  };
  sftp.on('STAT', statPath);
  // Symbolic links are resolved (and confined) before anything is served, so LSTAT is STAT here.
  sftp.on('LSTAT', statPath);
  sftp.on('CLOSE', (reqId, handle) => {
    const entry = lookup(handle);
    if (!entry) return sftp.status(reqId, STATUS_CODE.FAILURE);
    handles.delete(handle.readUInt32BE(0));
    const closing = entry.kind === 'file' ? entry.file.close() : Promise.resolve();
    closing.then(
      () => sftp.status(reqId, STATUS_CODE.OK),
      (error: unknown) => fail(reqId, error),
    );
  });
  sftp.on('REALPATH', (reqId, path) => {
    const virtual = posix.resolve('/', path);
    sftp.name(reqId, [{ filename: virtual, longname: virtual, attrs: {} as Attributes }]);
  });
  sftp.on('OPENDIR', (reqId, path) => {
    resolveInside(root, path)
      .then(async (local) => {
        if (!(await stat(local)).isDirectory()) throw Object.assign(new Error('Not a directory'), { code: 'ENOTDIR' });
        sftp.handle(reqId, newHandle({ kind: 'dir', path: local, listed: false }));
      })
      .catch((error: unknown) => fail(reqId, error));
  });
  sftp.on('READDIR', (reqId, handle) => {
    const entry = lookup(handle);
    if (entry?.kind !== 'dir') return sftp.status(reqId, STATUS_CODE.FAILURE);
    if (entry.listed) return sftp.status(reqId, STATUS_CODE.EOF);
    entry.listed = true;
    listDirectory(entry.path)
      .then((names) => (names.length === 0 ? sftp.status(reqId, STATUS_CODE.EOF) : sftp.name(reqId, names)))
      .catch((error: unknown) => fail(reqId, error));
  });
  for (const event of ['WRITE', 'FSETSTAT', 'SETSTAT', 'REMOVE', 'RMDIR', 'MKDIR', 'RENAME', 'SYMLINK', 'READLINK'] as const) {
    sftp.on(event, (reqId: number) => denied(reqId));
  }
  sftp.on('EXTENDED', (reqId: number) => sftp.status(reqId, STATUS_CODE.OP_UNSUPPORTED));
  sftp.on('close', () => {
    for (const entry of handles.values()) if (entry.kind === 'file') void entry.file.close().catch(() => undefined);
    handles.clear();
  });
}

/**
 * Maps a client path to a local one under `root`: `..` cannot climb above `/`, and a symbolic link
 * that leads outside the root is treated as missing.
 */
async function resolveInside(root: string, path: string): Promise<string> {
  const local = join(root, posix.resolve('/', path));
  const real = await realpath(local);
  if (real !== root && !real.startsWith(root + sep)) throw Object.assign(new Error('Outside the root'), { code: 'ENOENT' });
  return real;
}

async function listDirectory(local: string) {
  const names = await readdir(local);
  const entries = await Promise.all(
    names.map(async (name) => {
      try {
        const info = await stat(join(local, name));
        const kind = info.isDirectory() ? 'd' : '-';
        const longname = `${kind}${modeString(info.mode)} 1 ${info.uid} ${info.gid} ${info.size} ${info.mtime.toISOString().slice(0, 16)} ${name}`;
        return { filename: name, longname, attrs: attributesOf(info) };
      } catch {
        return null;
      }
    }),
  );
  return entries.filter((entry): entry is NonNullable<typeof entry> => entry !== null);
}

function modeString(mode: number): string {
  const bits = 'rwxrwxrwx';
  return [...bits].map((letter, index) => (mode & (1 << (8 - index)) ? letter : '-')).join('');
}

function attributesOf(info: { mode: number; uid: number; gid: number; size: number; atimeMs: number; mtimeMs: number }): Attributes {
  return {
    mode: info.mode,
    uid: info.uid,
    gid: info.gid,
    size: info.size,
    atime: Math.floor(info.atimeMs / 1000),
    mtime: Math.floor(info.mtimeMs / 1000),
  };
}

function statusOf(error: unknown): number {
  switch ((error as NodeJS.ErrnoException).code) {
    case 'ENOENT':
    case 'ENOTDIR':
      return STATUS_CODE.NO_SUCH_FILE;
    case 'EACCES':
    case 'EPERM':
      return STATUS_CODE.PERMISSION_DENIED;
    default:
      return STATUS_CODE.FAILURE;
  }
}
