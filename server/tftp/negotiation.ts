import { DEFAULT_BLKSIZE, MAX_BLKSIZE, MAX_WINDOWSIZE, MIN_BLKSIZE, type TftpOptions } from './packets';

export interface TftpDownloadOptions {
  host: string;
  port: number;
  remotePath: string;
  /** File path to stream into; the partial file is removed on failure. */
  destination: string;
  /** Default 1468 (RFC 2348), 8..65464. */
  blksize?: number;
  /** Default 16 (RFC 7440); 1 disables the option request. */
  windowsize?: number;
  /** Per-packet retransmission timeout, default 1000; also sent as `timeout` option (seconds, rounded up, 1..255). */
  timeoutMs?: number;
  /** Retransmissions before giving up with `Timed out`, default 5. */
  retries?: number;
  /** Default true; false sends a plain RFC 1350 RRQ. */
  requestOptions?: boolean;
  /** Sanity limit on announced tsize, default 4 GiB. */
  maxTsize?: number;
  /** Abort => reject with TftpError reason 'Cancelled', partial file removed, ERROR sent to server. */
  signal?: AbortSignal;
  /** Called at most ~10 times/s plus once at the end. */
  onProgress?: (bytesWritten: number, totalBytes: number | null) => void;
}

export interface TftpNegotiated {
  blksize: number;
  windowsize: number;
  tsize: number | null;
  timeoutSeconds: number | null;
  optionsAccepted: boolean;
}

export interface Settings {
  remotePath: string;
  port: number;
  blksize: number;
  windowsize: number;
  timeoutMs: number;
  retries: number;
  requestOptions: boolean;
  maxTsize: number;
  signal: AbortSignal | undefined;
  onProgress: TftpDownloadOptions['onProgress'];
}

const DEFAULTS = { blksize: 1468, windowsize: 16, timeoutMs: 1000, retries: 5, maxTsize: 4 * 1024 ** 3 };

/** What a server that answers without OACK (RFC 1350) gives us. */
export const PLAIN_RFC1350: TftpNegotiated = { blksize: DEFAULT_BLKSIZE, windowsize: 1, tsize: null, timeoutSeconds: null, optionsAccepted: false };

export function validate(o: TftpDownloadOptions): Settings {
  const blksize = o.blksize ?? DEFAULTS.blksize;
  const windowsize = o.windowsize ?? DEFAULTS.windowsize;
  const timeoutMs = o.timeoutMs ?? DEFAULTS.timeoutMs;
  const retries = o.retries ?? DEFAULTS.retries;
  const maxTsize = o.maxTsize ?? DEFAULTS.maxTsize;
  const check = (ok: boolean, what: string) => {
    if (!ok) throw new RangeError(`Invalid TFTP option: ${what}`);
  };
  check(Number.isInteger(blksize) && blksize >= MIN_BLKSIZE && blksize <= MAX_BLKSIZE, `blksize ${blksize} (8..65464)`);
  check(Number.isInteger(windowsize) && windowsize >= 1 && windowsize <= MAX_WINDOWSIZE, `windowsize ${windowsize} (1..65535)`);
  check(Number.isFinite(timeoutMs) && timeoutMs > 0, `timeoutMs ${timeoutMs}`);
  check(Number.isInteger(retries) && retries >= 0, `retries ${retries}`);
  check(Number.isInteger(o.port) && o.port > 0 && o.port < 65536, `port ${o.port}`);
  check(maxTsize >= 0, `maxTsize ${maxTsize}`);
  return {
    remotePath: o.remotePath,
    port: o.port,
    blksize,
    windowsize,
    timeoutMs,
    retries,
    requestOptions: o.requestOptions ?? true,
    maxTsize,
    signal: o.signal,
    onProgress: o.onProgress,
  };
}

/** The options of our RRQ; tsize 0 asks the server to announce the file size (RFC 2349). */
export function optionRequest(settings: Settings): [string, string][] {
  const timeoutSeconds = Math.min(255, Math.max(1, Math.ceil(settings.timeoutMs / 1000)));
  const options: [string, string][] = [
    ['blksize', String(settings.blksize)],
    ['tsize', '0'],
    ['timeout', String(timeoutSeconds)],
  ];
  // Servers without RFC 7440 would only be confused by windowsize 1.
  if (settings.windowsize > 1) options.push(['windowsize', String(settings.windowsize)]);
  return options;
}

/**
 * Checks the server's OACK against what we asked for. An option the server left out falls back
 * to its RFC 1350 meaning. Returns the negotiated settings, or why the OACK is unacceptable.
 */
export function acceptOack(settings: Settings, options: TftpOptions): TftpNegotiated | string {
  const int = (name: string): number | null => {
    const raw = options.get(name);
    if (raw === undefined) return null;
    return /^\d+$/.test(raw) ? Number(raw) : NaN;
  };
  const blksize = int('blksize') ?? DEFAULT_BLKSIZE;
  const windowsize = int('windowsize') ?? 1;
  const tsize = int('tsize');
  const timeout = int('timeout');
  if (!(blksize >= MIN_BLKSIZE && blksize <= settings.blksize)) return `server chose blksize ${options.get('blksize')}, asked for at most ${settings.blksize}`;
  if (!(windowsize >= 1 && windowsize <= settings.windowsize)) return `server chose windowsize ${options.get('windowsize')}, asked for at most ${settings.windowsize}`;
  if (tsize !== null && !(tsize >= 0)) return `invalid tsize ${options.get('tsize')}`;
  if (tsize !== null && tsize > settings.maxTsize) return `announced tsize ${tsize} exceeds the limit of ${settings.maxTsize} bytes`;
  if (timeout !== null && !(timeout >= 1 && timeout <= 255)) return `invalid timeout ${options.get('timeout')}`;
  return { blksize, windowsize, tsize, timeoutSeconds: timeout, optionsAccepted: true };
}
