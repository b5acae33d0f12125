import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import pg from 'pg';
import { freeTcpPort } from './freeTcpPort';

// Debian's PostgreSQL server (the `postgresql` package) in a temporary cluster on a free loopback port,
// for the store's tests on the second engine. Started and stopped by the process the test spawned.

export interface PostgresServer {
  /** A new, empty database on the server, as a connection URL. */
  createDatabase(): Promise<string>;
  stop(): Promise<void>;
}

const DEBIAN_ROOT = '/usr/lib/postgresql';

/** The secret key of test consoles on PostgreSQL: the nodes on one database share it. */
export const TEST_SECRET_KEY = Buffer.alloc(32, 0x5a).toString('base64');

/** The newest installed server's bin folder (`/usr/lib/postgresql/15/bin`), or null. */
export function postgresBinDir(): string | null {
  if (!fs.existsSync(DEBIAN_ROOT)) return null;
  const versions = fs
    .readdirSync(DEBIAN_ROOT)
    .filter((version) => fs.existsSync(path.join(DEBIAN_ROOT, version, 'bin', 'postgres')))
    .sort((a, b) => Number(b) - Number(a));
  return versions.length > 0 ? path.join(DEBIAN_ROOT, versions[0], 'bin') : null;
}

/** initdb and postgres refuse to run as root: as root, they run as Debian's `postgres` user. */
function serverUser(): { uid: number; gid: number } | null {
  if (process.getuid?.() !== 0) return null;
  const id = (flag: string) => Number(execFileSync('id', [flag, 'postgres'], { encoding: 'utf8' }).trim());
  return { uid: id('-u'), gid: id('-g') };
}

function waitUntilReady(server: ChildProcess, log: () => string): Promise<void> {
  return new Promise((resolve, reject) => {
    const onData = () => {
      if (log().includes('database system is ready to accept connections')) done(null);
    };
    const onExit = (code: number | null) => done(new Error(`postgres exited (${code}) before it was ready:\n${log()}`));
    const done = (error: Error | null) => {
      server.stderr?.off('data', onData);
      server.off('exit', onExit);
      if (error) reject(error);
      else resolve();
    };
    server.stderr?.on('data', onData);
    server.once('exit', onExit);
  });
}

export async function startPostgres(): Promise<PostgresServer> {
  const bin = postgresBinDir();
  if (!bin) throw new Error(`No PostgreSQL server under ${DEBIAN_ROOT}: install the Debian package postgresql`);
  const user = serverUser();
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'ewc-postgres-'));
  const data = path.join(dir, 'data');
  if (user) fs.chownSync(dir, user.uid, user.gid);
  const owner = user ? { uid: user.uid, gid: user.gid } : {};
  execFileSync(path.join(bin, 'initdb'), ['-D', data, '-U', 'postgres', '--auth=trust', '-E', 'UTF8', '--no-sync'], { ...owner, stdio: 'pipe' });
  const port = await freeTcpPort();
  // A throwaway cluster: no fsync, loopback only, its socket in its own folder.
  const server = spawn(
    path.join(bin, 'postgres'),
    ['-D', data, '-p', String(port), '-k', dir, '-c', 'listen_addresses=127.0.0.1', '-c', 'fsync=off', '-c', 'synchronous_commit=off', '-c', 'full_page_writes=off'],
    { ...owner, stdio: ['ignore', 'ignore', 'pipe'] },
  );
  let log = '';
  server.stderr?.on('data', (chunk: Buffer) => {
    log = (log + chunk.toString()).slice(-20_000);
  });
  const exited = new Promise<void>((resolve) => server.once('exit', () => resolve()));
  try {
    await waitUntilReady(server, () => log);
  } catch (error) {
    fs.rmSync(dir, { recursive: true, force: true });
    throw error;
  }
  const base = `postgres://postgres@127.0.0.1:${port}`;
  let created = 0;
  return {
    async createDatabase() {
      const name = `ewc_test_${++created}`;
      const admin = new pg.Client({ connectionString: `${base}/postgres` });
      await admin.connect();
      try {
        await admin.query(`CREATE DATABASE ${name}`);
      } finally {
        await admin.end();
      }
      return `${base}/${name}`;
    },
    async stop() {
      // SIGINT: PostgreSQL's fast shutdown (open connections are ended).
      server.kill('SIGINT');
      await exited;
      fs.rmSync(dir, { recursive: true, force: true });
    },
  };
}
