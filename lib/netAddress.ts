// Browser code imports this file: no node modules.

/**
 * The console's one address module: every rule about an IP address or a host name goes through it,
 * on the page and on the server.
 *
 * - `parseIp(text)`: an IPv4 address (four decimal numbers only) or an IPv6 address, with or without
 *   brackets, or null. IPv4-mapped IPv6 addresses (`::ffff:224.0.0.1`, `::ffff:e000:1`) come back as
 *   the IPv4 address they carry (`mapped: true`): a socket reaches the IPv4 host, so the IPv4 rules apply.
 * - `addressClass(ip)`: what kind of address it is (`loopback`, `link-local`, `multicast`, …).
 * - `plainAddress(text)`: a peer address as an administrator recognises it (`::ffff:10.0.0.7` → `10.0.0.7`).
 * - `bracketHost(host)`, `hostPort(host, port)`: `host:port` with an IPv6 address in brackets, as URLs and OpenSSH write it.
 * - `imageServerProblem(value)`: why a value cannot be the image server, or null.
 */

export type IpFamily = 4 | 6;

export interface IpAddress {
  family: IpFamily;
  /** 4 or 16 bytes, network order. */
  bytes: readonly number[];
  /** The canonical text: dotted IPv4, or RFC 5952 IPv6 (lower case, longest zero run as `::`), no brackets. */
  text: string;
  /** The text was an IPv4-mapped IPv6 address (`::ffff:a.b.c.d`); `family` is 4. */
  mapped: boolean;
}

/**
 * `unspecified` is `0.0.0.0/8` ("this network") and `::`; `reserved` is `240.0.0.0/4`, IPv4-compatible
 * IPv6 (`::a.b.c.d`) and site-local `fec0::/10`; `private` is RFC 1918, `100.64.0.0/10` and `fc00::/7`;
 * `unicast` is everything else (a global address).
 */
export type AddressClass = 'unspecified' | 'loopback' | 'link-local' | 'multicast' | 'broadcast' | 'reserved' | 'private' | 'unicast';

const IPV4_PART = '(25[0-5]|2[0-4]\\d|1\\d\\d|[1-9]?\\d)';
const IPV4 = new RegExp(`^${IPV4_PART}(\\.${IPV4_PART}){3}$`);
// RFC 1123 host name: labels of letters, digits and inner hyphens, 253 characters at most.
const HOST_NAME = /^(?=.{1,253}$)([a-zA-Z0-9]([a-zA-Z0-9-]{0,61}[a-zA-Z0-9])?)(\.[a-zA-Z0-9]([a-zA-Z0-9-]{0,61}[a-zA-Z0-9])?)*$/;

/** `[::1]` → `::1`; anything else unchanged. */
export function stripBrackets(host: string): string {
  return host.startsWith('[') && host.endsWith(']') ? host.slice(1, -1) : host;
}

function parseIpv4(text: string): number[] | null {
  return IPV4.test(text) ? text.split('.').map(Number) : null;
}

/** The eight 16-bit groups of an IPv6 address, or null. A dotted IPv4 tail counts as the last two groups. */
function parseIpv6Groups(text: string): number[] | null {
  if (!/^[0-9a-fA-F:.]+$/.test(text) || !text.includes(':')) return null;
  const halves = text.split('::');
  if (halves.length > 2) return null;
  const groupsOf = (part: string, mayEndInIpv4: boolean): number[] | null => {
    if (part === '') return [];
    const pieces = part.split(':');
    const groups: number[] = [];
    for (const [i, piece] of pieces.entries()) {
      if (mayEndInIpv4 && i === pieces.length - 1 && piece.includes('.')) {
        const v4 = parseIpv4(piece);
        if (!v4) return null;
        groups.push((v4[0] << 8) | v4[1], (v4[2] << 8) | v4[3]);
      } else if (/^[0-9a-fA-F]{1,4}$/.test(piece)) groups.push(parseInt(piece, 16));
      else return null;
    }
    return groups;
  };
  if (halves.length === 1) {
    const groups = groupsOf(halves[0], true);
    return groups && groups.length === 8 ? groups : null;
  }
  const head = groupsOf(halves[0], false);
  const tail = groupsOf(halves[1], true);
  if (!head || !tail || head.length + tail.length > 7) return null;
  return [...head, ...Array<number>(8 - head.length - tail.length).fill(0), ...tail];
}

/** RFC 5952: lower-case hex, no leading zeros, the longest run of two or more zero groups as `::`. */
function formatIpv6(groups: readonly number[]): string {
  let best = { start: -1, length: 0 };
  for (let i = 0; i < 8; ) {
    if (groups[i] !== 0) {
      i += 1;
      continue;
    }
    let end = i;
    while (end < 8 && groups[end] === 0) end += 1;
    if (end - i > best.length && end - i >= 2) best = { start: i, length: end - i };
    i = end;
  }
  const hex = groups.map((g) => g.toString(16));
  if (best.start < 0) return hex.join(':');
  return `${hex.slice(0, best.start).join(':')}::${hex.slice(best.start + best.length).join(':')}`;
}

/** An IP address literal (brackets allowed, zone ids not), IPv4-mapped IPv6 unwrapped to IPv4; null for anything else. */
export function parseIp(text: string): IpAddress | null {
  const trimmed = text.trim();
  const bare = stripBrackets(trimmed);
  // Brackets belong to IPv6 only: `[10.0.0.5]` is no address in a URL.
  const v4 = bare === trimmed ? parseIpv4(bare) : null;
  if (v4) return { family: 4, bytes: v4, text: v4.join('.'), mapped: false };
  const groups = parseIpv6Groups(bare);
  if (!groups) return null;
  const bytes = groups.flatMap((g) => [g >> 8, g & 0xff]);
  if (bytes.slice(0, 10).every((b) => b === 0) && bytes[10] === 0xff && bytes[11] === 0xff) {
    const inner = bytes.slice(12);
    return { family: 4, bytes: inner, text: inner.join('.'), mapped: true };
  }
  return { family: 6, bytes, text: formatIpv6(groups), mapped: false };
}

function ipv4Class([a, b, c, d]: readonly number[]): AddressClass {
  if (a === 0) return 'unspecified';
  if (a === 127) return 'loopback';
  if (a === 169 && b === 254) return 'link-local';
  if (a === 255 && b === 255 && c === 255 && d === 255) return 'broadcast';
  if (a >= 224 && a <= 239) return 'multicast';
  if (a >= 240) return 'reserved';
  if (a === 10 || (a === 172 && b >= 16 && b <= 31) || (a === 192 && b === 168) || (a === 100 && b >= 64 && b <= 127)) return 'private';
  return 'unicast';
}

function ipv6Class(bytes: readonly number[]): AddressClass {
  const zeroPrefix = bytes.slice(0, 12).every((b) => b === 0);
  if (zeroPrefix && bytes.slice(12, 15).every((b) => b === 0)) {
    if (bytes[15] === 0) return 'unspecified';
    if (bytes[15] === 1) return 'loopback';
  }
  // ::a.b.c.d, the deprecated IPv4-compatible form: no host should be reached through it.
  if (zeroPrefix) return 'reserved';
  if (bytes[0] === 0xff) return 'multicast';
  if (bytes[0] === 0xfe && (bytes[1] & 0xc0) === 0x80) return 'link-local';
  if (bytes[0] === 0xfe && (bytes[1] & 0xc0) === 0xc0) return 'reserved';
  if ((bytes[0] & 0xfe) === 0xfc) return 'private';
  return 'unicast';
}

export function addressClass(ip: IpAddress): AddressClass {
  return ip.family === 4 ? ipv4Class(ip.bytes) : ipv6Class(ip.bytes);
}

/**
 * A peer address as an administrator recognises it, for logs, the audit trail and per-source limits:
 * dual-stack sockets report IPv4 peers as `::ffff:a.b.c.d`, which becomes `a.b.c.d`; an IPv6 address
 * is written canonically; anything that is not an address is returned trimmed ('unknown' when empty).
 */
export function plainAddress(address: string | null | undefined): string {
  const text = (address ?? '').trim();
  if (text === '') return 'unknown';
  return parseIp(text)?.text ?? text;
}

/** An IPv6 address in brackets (`[fd00::5]`), so that a port or path can follow; anything else unchanged. */
export function bracketHost(host: string): string {
  return host.includes(':') && !host.startsWith('[') ? `[${host}]` : host;
}

/** `host:port`, the IPv6 address in brackets: `10.0.0.5:22`, `[fd00::5]:22`. */
export function hostPort(host: string, port: number | string): string {
  return `${bracketHost(host)}:${port}`;
}

function ipProblem(ip: IpAddress): string | null {
  const kind = addressClass(ip);
  if (kind === 'unspecified') return ip.family === 4 ? 'Enter the address of a host: 0.0.0.0 means "this network", not a server' : 'Enter the address of a host, not the unspecified address ::';
  if (kind === 'broadcast') return 'Enter the address of a host, not the broadcast address 255.255.255.255';
  if (kind === 'multicast') return ip.family === 4 ? 'Enter the address of a host, not a multicast address (224.0.0.0/4)' : 'Enter the address of a host, not a multicast address (ff00::/8)';
  if (kind === 'reserved') return ip.family === 4 ? 'Enter the address of a host, not a reserved address (240.0.0.0/4)' : 'Enter the address of a host, not a reserved IPv6 address';
  return null;
}

/**
 * Why `value` is not a usable image server (one host that answers a unicast download), or null when
 * it is. Host names whose last label is a number (`0x7f000001`, `127.1`, `2130706433`) are refused:
 * resolvers and URL parsers read them as IPv4 addresses in other notations, so what the form shows
 * would not be what is contacted.
 */
export function imageServerProblem(value: string): string | null {
  const ip = parseIp(value);
  if (ip) return ipProblem(ip);
  const lastLabel = value.split('.').pop() ?? '';
  if (/^(0x[0-9a-f]*|\d+)$/i.test(lastLabel)) return 'Enter an IPv4 address as four decimal numbers (like 10.0.0.5), or a host name';
  return HOST_NAME.test(value) ? null : 'Enter an IPv4 or IPv6 address or a host name';
}
