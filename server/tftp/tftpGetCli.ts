import { parseArgs } from 'node:util';
import { TftpError, describeNegotiation, tftpDownload, type TftpDownloadOptions } from './tftpClient';

const USAGE = 'Usage: tftp get tftp://HOST[:PORT]/PATH LOCALFILE [--blksize N] [--windowsize N] [--timeout S] [--retries N] [--no-options] [--json]';

class UsageError extends Error {}

function parseCommand(argv: string[]): { url: string; options: TftpDownloadOptions; json: boolean } {
  const { values, positionals } = parseArgs({
    args: argv,
    allowPositionals: true,
    options: {
      blksize: { type: 'string' },
      windowsize: { type: 'string' },
      timeout: { type: 'string' },
      retries: { type: 'string' },
      'no-options': { type: 'boolean', default: false },
      json: { type: 'boolean', default: false },
    },
  });
  const [command, url, destination, ...extra] = positionals;
  if (command !== 'get' || !url || !destination || extra.length > 0) throw new UsageError('expected: get URL LOCALFILE');
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    throw new UsageError(`not a URL: ${url}`);
  }
  if (parsed.protocol !== 'tftp:' || !parsed.hostname) throw new UsageError(`not a tftp:// URL: ${url}`);
  // Like curl: the path after the host's slash is the remote file name, so tftp://h//abs asks for /abs.
  const remotePath = decodeURIComponent(parsed.pathname).replace(/^\//, '');
  if (!remotePath) throw new UsageError(`no file in ${url}`);
  const int = (name: string, raw: string | undefined, min: number, max: number): number | undefined => {
    if (raw === undefined) return undefined;
    const n = Number(raw);
    if (!Number.isInteger(n) || n < min || n > max) throw new UsageError(`--${name} must be an integer in ${min}..${max}`);
    return n;
  };
  const timeoutSeconds = int('timeout', values.timeout, 1, 255);
  return {
    url,
    json: values.json,
    options: {
      host: parsed.hostname,
      port: parsed.port ? Number(parsed.port) : 69,
      remotePath,
      destination,
      blksize: int('blksize', values.blksize, 8, 65464),
      windowsize: int('windowsize', values.windowsize, 1, 65535),
      timeoutMs: timeoutSeconds === undefined ? undefined : timeoutSeconds * 1000,
      retries: int('retries', values.retries, 0, 100),
      requestOptions: !values['no-options'],
    },
  };
}

async function main(): Promise<number> {
  let command: ReturnType<typeof parseCommand>;
  try {
    command = parseCommand(process.argv.slice(2));
  } catch (e) {
    if (!(e instanceof UsageError) && !(e instanceof TypeError)) throw e;
    process.stderr.write(`${e.message}\n${USAGE}\n`);
    return 2;
  }
  const { url, options, json } = command;
  try {
    const result = await tftpDownload(options);
    // Peak RSS lets the bench check that memory stays flat whatever the file size.
    const peakRssBytes = process.resourceUsage().maxRSS * 1024;
    if (json) {
      process.stdout.write(`${JSON.stringify({ ok: true, bytes: result.bytes, elapsedMs: result.elapsedMs, negotiated: result.negotiated, engine: result.engine, peakRssBytes })}\n`);
    } else {
      const seconds = result.elapsedMs / 1000;
      const rate = result.bytes / 1e6 / Math.max(seconds, 1e-9);
      process.stdout.write(`Negotiated: ${describeNegotiation(result.negotiated)}\n` + `Downloaded ${result.bytes} bytes in ${seconds.toFixed(3)} s (${rate.toFixed(1)} MB/s)\n`);
    }
    return 0;
  } catch (e) {
    const reason = e instanceof TftpError ? e.reason : e instanceof Error ? e.message : String(e);
    if (json) process.stdout.write(`${JSON.stringify({ ok: false, reason, code: e instanceof TftpError ? e.code : 'io' })}\n`);
    process.stderr.write(`Failed to download file ${url}: ${reason}\n`);
    return 1;
  }
}

process.exitCode = await main();
