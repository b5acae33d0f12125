/** What an API call answers, before it becomes an HTTP response (route handlers write it back; no other adapter reads it). */
export interface ApiResult {
  status: number;
  body: unknown;
  /** Defaults to JSON; the configuration export is plain text. */
  contentType?: 'application/json' | 'text/plain' | 'text/csv';
  /** A Set-Cookie value (login, logout). */
  setCookie?: string;
}
