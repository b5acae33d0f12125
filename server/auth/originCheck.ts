// No node imports: usable from route handlers (Headers) and the custom server (IncomingHttpHeaders).

export type HeaderSource = Headers | Record<string, string | string[] | undefined>;

export interface OriginCheckedRequest {
  method: string;
  headers: HeaderSource;
  url?: string;
}

export type OriginVerdict = { ok: true } | { ok: false; reason: string };

const SAFE_METHODS = new Set(['GET', 'HEAD']);

function header(headers: HeaderSource, name: string): string | undefined {
  if (typeof Headers !== 'undefined' && headers instanceof Headers) return headers.get(name) ?? undefined;
  const record = headers as Record<string, string | string[] | undefined>;
  let value = record[name];
  if (value === undefined) {
    const key = Object.keys(record).find((k) => k.toLowerCase() === name);
    value = key === undefined ? undefined : record[key];
  }
  return Array.isArray(value) ? value[0] : value;
}

function originOf(url: string): string | null {
  try {
    const origin = new URL(url).origin;
    return origin === 'null' ? null : origin;
  } catch {
    return null;
  }
}

/** The origins the console itself is reached at: its Host under either scheme, the request URL's, and any configured ones. */
function ownOrigins(request: OriginCheckedRequest, allowedOrigins: readonly string[]): Set<string> {
  const origins = new Set<string>();
  const host = header(request.headers, 'host');
  // A Host with a path or credentials in it is not a host; URL would quietly accept it.
  if (host && /^[A-Za-z0-9.\-[\]:]+$/.test(host)) {
    for (const scheme of ['http', 'https']) {
      const origin = originOf(`${scheme}://${host}`);
      if (origin) origins.add(origin);
    }
  }
  const fromUrl = request.url ? originOf(request.url) : null;
  if (fromUrl) origins.add(fromUrl);
  for (const allowed of allowedOrigins) {
    const origin = originOf(allowed);
    if (origin) origins.add(origin);
  }
  return origins;
}

/**
 * Cross-site request forgery guard for state-changing requests: the browser must say the request
 * comes from the console's own pages. GET and HEAD change nothing and are always let through.
 */
export function checkOrigin(request: OriginCheckedRequest, allowedOrigins: readonly string[] = []): OriginVerdict {
  if (SAFE_METHODS.has(request.method.toUpperCase())) return { ok: true };
  if (header(request.headers, 'sec-fetch-site')?.toLowerCase() === 'cross-site') return { ok: false, reason: 'cross-site request' };
  const origin = header(request.headers, 'origin');
  const referer = header(request.headers, 'referer');
  // Browsers send Origin on every non-GET fetch; Referer is the fallback for older ones and some proxies that strip Origin.
  const claimed = origin !== undefined ? origin : referer;
  if (claimed === undefined || claimed === '') return { ok: false, reason: 'neither Origin nor Referer present' };
  const claimedOrigin = originOf(claimed);
  if (!claimedOrigin) return { ok: false, reason: `unusable ${origin !== undefined ? 'Origin' : 'Referer'} "${claimed}"` };
  if (!ownOrigins(request, allowedOrigins).has(claimedOrigin)) return { ok: false, reason: `foreign origin ${claimedOrigin}` };
  return { ok: true };
}

export function isSameOrigin(request: OriginCheckedRequest, allowedOrigins: readonly string[] = []): boolean {
  return checkOrigin(request, allowedOrigins).ok;
}
