import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { HOST_KEY_TYPES, isHostKeyType, keyTypeLabel, type HostKeyType } from '../../lib/hostKeyType';
import { maskedSftpUrl, sftpDownload, SftpError } from './sftpClient';
import { hostPort, stripBrackets } from '../../lib/netAddress';

const USAGE = `Usage: npm run sftp -- get sftp://USER@HOST[:PORT]/PATH LOCALFILE [options]

  PATH is relative to the login directory; start it with // for an absolute path
  (sftp://u@h/Documents/x is ~/Documents/x, sftp://u@h//srv/x is /srv/x).
  The password comes from the environment variable SFTP_PASSWORD, a key passphrase from SFTP_PASSPHRASE.

Options:
  --identity KEYFILE        log in with this private key
  --fingerprint SHA256:...  the server's expected host key (any of its keys: ED25519, ECDSA or RSA, as
                            ssh-keygen -lf prints it); without it the key is accepted and printed
  --key-type TYPE           the type of that key (ssh-ed25519, ecdsa-sha2-nistp256, ssh-rsa, ...):
                            asked for first, and no other key is tried
  --resume                  continue LOCALFILE.part if this command wrote it for this same remote file,
                            still of the same size and modification time; without it, start over
  --sha256 HEX              the file's expected SHA-256: a download that differs is discarded
  --timeout SECONDS         connect and per-operation deadline (default 15)
  --connections N           SSH connections sharing the reads of a large file (default 1)
  --json                    print { ok, bytes, resumedFrom, elapsedMs, cpuMs, fingerprint, keyType } on stdout
                            (elapsedMs from the connection to the last byte on disk, cpuMs the CPU time
                            this process spent meanwhile)

  The file is written to LOCALFILE.part (described by LOCALFILE.part.json) and replaces LOCALFILE
  only once complete, its size (and SHA-256 with --sha256) checked.`;

export interface GetCommand {
  host: string;
  port: number;
  username: string;
  remotePath: string;
  destination: string;
  identity?: string;
  fingerprint: string | null;
  keyType: HostKeyType | null;
  resume: boolean;
  sha256?: string;
  timeoutMs: number;
  connections?: number;
  json: boolean;
}

class UsageError extends Error {}

export function parseArgs(argv: readonly string[]): GetCommand {
  const [verb, url, destination, ...rest] = argv;
  if (verb !== 'get' || !url || !destination || url.startsWith('--') || destination.startsWith('--')) throw new UsageError('Expected: get URL LOCALFILE');
  const command: GetCommand = { ...parseUrl(url), destination: resolve(destination), fingerprint: null, keyType: null, resume: false, timeoutMs: 15_000, json: false };
  for (let i = 0; i < rest.length; i += 1) {
    const flag = rest[i];
    const value = () => {
      const next = rest[i + 1];
      if (next === undefined || next.startsWith('--')) throw new UsageError(`${flag} needs a value`);
      i += 1;
      return next;
    };
    switch (flag) {
      case '--identity':
        command.identity = value();
        break;
      case '--fingerprint': {
        const fingerprint = value();
        if (!/^SHA256:[A-Za-z0-9+/]{43}$/.test(fingerprint)) throw new UsageError('--fingerprint must look like SHA256: followed by 43 base64 characters');
        command.fingerprint = fingerprint;
        break;
      }
      case '--key-type': {
        const keyType = value();
        if (!isHostKeyType(keyType)) throw new UsageError(`--key-type must be one of ${HOST_KEY_TYPES.join(', ')}`);
        command.keyType = keyType;
        break;
      }
      case '--resume':
        command.resume = true;
        break;
      case '--sha256': {
        const digest = value();
        if (!/^[0-9a-fA-F]{64}$/.test(digest)) throw new UsageError('--sha256 must be 64 hexadecimal digits');
        command.sha256 = digest.toLowerCase();
        break;
      }
      case '--timeout': {
        const seconds = Number(value());
        if (!Number.isFinite(seconds) || seconds <= 0) throw new UsageError('--timeout must be a positive number of seconds');
        command.timeoutMs = Math.round(seconds * 1000);
        break;
      }
      case '--connections': {
        const count = Number(value());
        if (!Number.isInteger(count) || count < 1 || count > 8) throw new UsageError('--connections must be a whole number from 1 to 8');
        command.connections = count;
        break;
      }
      case '--json':
        command.json = true;
        break;
      default:
        throw new UsageError(`Unknown option ${flag}`);
    }
  }
  if (command.keyType && !command.fingerprint) throw new UsageError('--key-type needs --fingerprint');
  return command;
}

function parseUrl(text: string): Pick<GetCommand, 'host' | 'port' | 'username' | 'remotePath'> {
  let url: URL;
  try {
    url = new URL(text);
  } catch {
    throw new UsageError('The URL must look like sftp://USER@HOST[:PORT]/PATH');
  }
  if (url.protocol !== 'sftp:' || url.hostname === '') throw new UsageError('The URL must look like sftp://USER@HOST[:PORT]/PATH');
  // A password typed on the command line ends up in the shell history and in `ps`.
  if (url.password !== '') throw new UsageError('Do not put the password in the URL: set SFTP_PASSWORD');
  if (url.username === '') throw new UsageError('The URL needs a user: sftp://USER@HOST/PATH');
  const path = decodeURIComponent(url.pathname);
  const remotePath = path.startsWith('//') ? path.slice(1) : path.replace(/^\/(~\/)?/, '');
  if (remotePath === '' || remotePath.endsWith('/')) throw new UsageError('The URL must name a file');
  return {
    host: stripBrackets(url.hostname),
    port: url.port === '' ? 22 : Number(url.port),
    username: decodeURIComponent(url.username),
    remotePath,
  };
}

async function main(argv: readonly string[]): Promise<number> {
  let command: GetCommand;
  let privateKey: Buffer | undefined;
  try {
    command = parseArgs(argv);
    if (command.identity) privateKey = readIdentity(command.identity);
  } catch (error) {
    if (!(error instanceof UsageError)) throw error;
    process.stderr.write(`${error.message}\n\n${USAGE}\n`);
    return 2;
  }

  const abort = new AbortController();
  process.once('SIGINT', () => abort.abort());
  const where = hostPort(command.host, command.port);
  const cpuBefore = process.cpuUsage();
  try {
    const result = await sftpDownload({
      host: command.host,
      port: command.port,
      credentials: { username: command.username, password: process.env.SFTP_PASSWORD || undefined, privateKey, passphrase: process.env.SFTP_PASSPHRASE || undefined },
      remotePath: command.remotePath,
      destination: command.destination,
      expectedFingerprint: command.fingerprint,
      expectedKeyType: command.keyType,
      expectedSha256: command.sha256,
      resume: command.resume,
      onHostKey: (fingerprint) => {
        process.stderr.write(`Warning: accepting the host key ${fingerprint} of ${where} without verification (pin it with --fingerprint)\n`);
        return true;
      },
      timeoutMs: command.timeoutMs,
      connections: command.connections,
      signal: abort.signal,
    });
    if (result.restartReason) process.stderr.write(`Not resuming: ${result.restartReason}; downloading from byte 0\n`);
    const { bytes, resumedFrom, elapsedMs, fingerprint, keyType } = result;
    if (command.json) {
      const cpu = process.cpuUsage(cpuBefore);
      const cpuMs = Math.round((cpu.user + cpu.system) / 1000);
      process.stdout.write(`${JSON.stringify({ ok: true, bytes, resumedFrom, elapsedMs, cpuMs, fingerprint, keyType })}\n`);
    } else {
      const fetched = result.bytes - result.resumedFrom;
      const seconds = Math.max(result.elapsedMs, 1) / 1000;
      const resumed = result.resumedFrom > 0 ? ` (resumed at ${result.resumedFrom} bytes)` : '';
      const checked = command.sha256 ? ', SHA-256 verified' : '';
      process.stdout.write(
        `Host key ${result.fingerprint}${keyType ? ` (${keyTypeLabel(keyType)})` : ''}\n` +
          `${command.destination}: ${result.bytes} bytes${resumed}, ${fetched} fetched in ${seconds.toFixed(2)} s (${(fetched / 1e6 / seconds).toFixed(1)} MB/s)${checked}\n`,
      );
    }
    return 0;
  } catch (error) {
    const reason = error instanceof SftpError ? error.reason : 'Internal error';
    const line = `Failed to download file ${maskedSftpUrl(command.host, command.remotePath)}: ${reason}`;
    process.stderr.write(`${line}\n`);
    if (command.json) {
      const details = error instanceof SftpError ? { code: error.code, retryable: error.retryable } : {};
      process.stdout.write(`${JSON.stringify({ ok: false, error: line, ...details })}\n`);
    }
    return 1;
  }
}

function readIdentity(path: string): Buffer {
  try {
    return readFileSync(path);
  } catch (error) {
    throw new UsageError(`Cannot read the key ${path}: ${(error as NodeJS.ErrnoException).code ?? 'error'}`);
  }
}

if (process.argv[1] && import.meta.url === pathToFileURL(resolve(process.argv[1])).href) {
  main(process.argv.slice(2)).then(
    (code) => {
      process.exitCode = code;
    },
    (error: unknown) => {
      process.stderr.write(`${error instanceof Error ? error.message : String(error)}\n`);
      process.exitCode = 1;
    },
  );
}
