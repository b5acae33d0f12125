export type SftpErrorCode = 'not-found' | 'permission' | 'auth' | 'timeout' | 'host-key' | 'refused' | 'cancelled' | 'connection' | 'io';

const RETRYABLE: Record<SftpErrorCode, boolean> = {
  'not-found': false,
  permission: false,
  auth: false,
  timeout: true,
  'host-key': false,
  refused: true,
  cancelled: false,
  connection: true,
  io: false,
};

/** A failed download; `reason` is the tail of the controller's syslog line and never holds a secret. */
export class SftpError extends Error {
  readonly reason: string;
  readonly code: SftpErrorCode;
  readonly retryable: boolean;

  constructor(code: SftpErrorCode, reason: string, options?: { cause?: unknown }) {
    super(reason, options);
    this.name = 'SftpError';
    this.reason = reason;
    this.code = code;
    this.retryable = RETRYABLE[code];
  }
}

export const timedOut = () => new SftpError('timeout', 'Timed out');
export const cancelled = () => new SftpError('cancelled', 'Cancelled');

/** A copy with only name and message: ssh2 errors carry no secrets, but nothing else should ride along. */
export function scrub(error: unknown): Error {
  return error instanceof Error ? Object.assign(new Error(error.message), { name: error.name }) : new Error(String(error));
}

export function classifyConnectionError(error: Error & { level?: string; code?: string }): SftpError {
  const cause = { cause: scrub(error) };
  if (error.level === 'client-authentication') return new SftpError('auth', 'Authentication failed', cause);
  if (error.level === 'client-timeout' || error.code === 'ETIMEDOUT' || /keepalive timeout|timed out/i.test(error.message)) {
    return new SftpError('timeout', 'Timed out', cause);
  }
  switch (error.code) {
    case 'ECONNREFUSED':
      return new SftpError('refused', 'Connection refused', cause);
    case 'ECONNRESET':
    case 'EPIPE':
      return new SftpError('connection', 'Connection reset by peer', cause);
    case 'EHOSTUNREACH':
      return new SftpError('connection', 'No route to host', cause);
    case 'ENETUNREACH':
      return new SftpError('connection', 'Network is unreachable', cause);
    case 'ENOTFOUND':
    case 'EAI_AGAIN':
      return new SftpError('connection', 'Could not resolve host', cause);
    default:
      return new SftpError('connection', 'Connection closed by remote host', cause);
  }
}
