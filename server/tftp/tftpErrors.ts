import { ErrorCode } from './packets';

export type TftpErrorCode = 'not-found' | 'access' | 'timeout' | 'cancelled' | 'protocol' | 'server' | 'io';

/** `reason` is the tail of the controller's syslog line: `Failed to download file ${url}: ${reason}`. */
export class TftpError extends Error {
  readonly reason: string;
  readonly code: TftpErrorCode;
  /** The ERROR packet's code when the server ended the transfer. */
  readonly serverErrorCode: number | null;

  constructor(code: TftpErrorCode, reason: string, serverErrorCode: number | null = null, options?: ErrorOptions) {
    super(reason, options);
    this.name = 'TftpError';
    this.code = code;
    this.reason = reason;
    this.serverErrorCode = serverErrorCode;
  }
}

/** ERROR 8 in answer to an RRQ with options: RFC 2347 lets the client ask again without them. */
export class OptionsRefused extends Error {}

export function cancelled(): TftpError {
  return new TftpError('cancelled', 'Cancelled');
}

export function timedOut(): TftpError {
  return new TftpError('timeout', 'Timed out');
}

export function protocolError(detail: string): TftpError {
  return new TftpError('protocol', `Protocol error: ${detail}`);
}

const ERRNO_REASONS: Record<string, string> = {
  ENOENT: 'No such file or directory',
  EACCES: 'Permission denied',
  EPERM: 'Operation not permitted',
  ENOSPC: 'No space left on device',
  EDQUOT: 'Disk quota exceeded',
  EISDIR: 'Is a directory',
  EROFS: 'Read-only file system',
  ENETUNREACH: 'Network is unreachable',
  EHOSTUNREACH: 'No route to host',
  EADDRNOTAVAIL: 'Cannot assign requested address',
};

export function ioError(e: unknown): TftpError {
  const code = (e as NodeJS.ErrnoException | undefined)?.code;
  const reason = (code && ERRNO_REASONS[code]) ?? (e instanceof Error ? e.message : String(e));
  return new TftpError('io', reason, null, { cause: e });
}

// Reasons read like the controller's syslog (strerror style), not like the server's own text.
const SERVER_REASONS: Partial<Record<number, [TftpErrorCode, string]>> = {
  [ErrorCode.FILE_NOT_FOUND]: ['not-found', 'No such file or directory'],
  [ErrorCode.ACCESS_VIOLATION]: ['access', 'Permission denied'],
  [ErrorCode.DISK_FULL]: ['server', 'Disk full or allocation exceeded'],
  [ErrorCode.ILLEGAL_OPERATION]: ['protocol', 'Illegal TFTP operation'],
  [ErrorCode.UNKNOWN_TID]: ['protocol', 'Unknown transfer ID'],
  [ErrorCode.FILE_EXISTS]: ['server', 'File already exists'],
  [ErrorCode.NO_SUCH_USER]: ['server', 'No such user'],
};

export function serverError(code: number, message: string): TftpError {
  // The server's own words say which option it refused.
  if (code === ErrorCode.OPTION_REFUSED) return new TftpError('protocol', message || 'Option negotiation refused', code);
  const known = SERVER_REASONS[code];
  return known ? new TftpError(known[0], known[1], code) : new TftpError('server', message || `Server error ${code}`, code);
}
