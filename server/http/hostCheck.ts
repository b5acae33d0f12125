import { bracketHost, parseHostPort } from '../../lib/netAddress';

/**
 * The Host names the console answers to. A DNS-rebinding page reaches the console under the attacker's
 * name (`Host: evil.example:3000`, and `Origin` to match), so the origin check alone cannot see it;
 * refusing unknown Host names can.
 */
export interface AllowedHosts {
  /** Entries from EWC_ALLOWED_HOSTS: `name` (on the console's port, or without a port behind a proxy) or `name:port`. */
  configured: readonly string[];
  /** HOST, the listen address; a wildcard (`0.0.0.0`, `::`) names no host and is left out. */
  listenHost: string;
}

const WILDCARDS = new Set(['0.0.0.0', '::', '[::]', '']);

/** The names to accept when EWC_ALLOWED_HOSTS is unset: the listen address, localhost, 127.0.0.1 and [::1]. */
export function defaultAllowedHostNames(listenHost: string): string[] {
  const names = ['localhost', '127.0.0.1', '[::1]'];
  if (!WILDCARDS.has(listenHost)) names.unshift(bracketHost(listenHost.toLowerCase()));
  return [...new Set(names)];
}

/** The host names (no ports, brackets kept on IPv6) the console answers to: what its HTTPS certificate must name. */
export function allowedHostNames(allowed: AllowedHosts): string[] {
  const entries = allowed.configured.length > 0 ? allowed.configured : defaultAllowedHostNames(allowed.listenHost);
  return [...new Set(entries.flatMap((entry) => parseHostPort(entry)?.host ?? []))];
}

/** Whether a request's Host header names the console, which listens on `localPort`. */
export function isAllowedHost(hostHeader: string | undefined, localPort: number | undefined, allowed: AllowedHosts): boolean {
  if (!hostHeader) return false;
  const given = parseHostPort(hostHeader);
  if (!given) return false;
  const entries = allowed.configured.length > 0 ? allowed.configured : defaultAllowedHostNames(allowed.listenHost);
  return entries.some((entry) => {
    const wanted = parseHostPort(entry);
    if (!wanted || wanted.host !== bracketHost(given.host)) return false;
    if (wanted.port !== null) return given.port === wanted.port;
    return given.port === null || given.port === String(localPort);
  });
}

/** What a request under a foreign Host name is told, by the page gate and by socket.io's handshake alike. */
export function foreignHostMessage(hostHeader: string | undefined): string {
  return `This console does not answer to the host name "${hostHeader ?? ''}"; add it to EWC_ALLOWED_HOSTS if it is yours.`;
}
