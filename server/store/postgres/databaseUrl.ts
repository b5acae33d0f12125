// What the console accepts as EWC_DATABASE_URL, and how it shows one: a URL may carry the database's password.

/** `postgres://` or `postgresql://`, a host, and one database name as its path. */
export function isPostgresUrl(value: string): boolean {
  try {
    const url = new URL(value);
    return (url.protocol === 'postgres:' || url.protocol === 'postgresql:') && url.hostname !== '' && /^\/[^/]+$/.test(url.pathname);
  } catch {
    return false;
  }
}

/** The URL as a log line or an error may show it: the password, if any, replaced by `***`. */
export function redactedDatabaseUrl(value: string): string {
  const url = new URL(value);
  if (url.password) url.password = '***';
  return url.toString();
}
