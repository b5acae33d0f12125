// Browser code imports this file: no node modules.

/**
 * The console's one address module: every rule about an IP address or a host name goes through it,
 * on the page and on the server.
 *
 * - `parseIp(text)`: an IPv4 address (four decimal numbers only) or an IPv6 address, with or without
 *   brackets, or null. IPv4-mapped IPv6 addresses (`::ffff:224.0.0.1`, `::ffff:e000:1`) come back as
 *   the IPv4 address they carry (`mapped: true`): a socket reaches the IPv4 host, so the IPv4 rules apply.
 * - `addressClass(ip)`: what kind of address it is (`loopback`, `link-local`, `multicast`, …), the one
 *   classification every rule below reads; `hostAddressClass(host)` the same for a host as a URL or a
 *   setting names it (`localhost`, brackets, a zone id).
 * - `plainAddress(text)`: a peer address as an administrator recognises it (`::ffff:10.0.0.7` → `10.0.0.7`).
 * - `stripBrackets(host)`, `bracketHost(host)`, `hostPort(host, port)`, `urlAuthority(host, port, defaultPort)`:
 *   `host:port` with an IPv6 address in brackets, as URLs and OpenSSH write it, and back.
 * - `parseHostPort(text)`: a `Host` header or a `host[:port]` setting taken apart.
 * - `imageServerProblem(value)`: why a value cannot be the image server, or null.
 * - `catalogHostProblem(host, …)`: why a firmware catalog (or an image URL it names) cannot be on a host, or null.
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
 * `unspecified` is `0.0.0.0/8` ("this network") and `::`; `link-local` includes the cloud metadata
 * service's IPv6 address `fd00:ec2::254`; `reserved` is `240.0.0.0/4`, IPv4-compatible IPv6
 * (`::a.b.c.d`), site-local `fec0::/10` and the discard prefix `100::/64`; `documentation` is the
 * ranges set aside for examples (RFC 5737, `2001:db8::/32`) and the IETF protocol block
 * `192.0.0.0/24`; `private` is RFC 1918, `100.64.0.0/10` and `fc00::/7`; `unicast` is everything else
 * (a global address). NAT64 addresses (`64:ff9b::a.b.c.d`) are classed by the IPv4 address they reach.
 */
export type AddressClass = 'unspecified' | 'loopback' | 'link-local' | 'multicast' | 'broadcast' | 'reserved' | 'documentation' | 'private' | 'unicast';

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
  for (let i = 0; i < 8;) {
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
  if ((a === 192 && b === 0 && (c === 0 || c === 2)) || (a === 198 && b === 51 && c === 100) || (a === 203 && b === 0 && c === 113)) return 'documentation';
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
  const group = (i: number) => (bytes[2 * i] << 8) | bytes[2 * i + 1];
  const zeroGroups = (from: number, to: number) => bytes.slice(2 * from, 2 * to).every((b) => b === 0);
  // NAT64 (RFC 6052): a gateway forwards it to the IPv4 address in its last 32 bits.
  if (group(0) === 0x64 && group(1) === 0xff9b && zeroGroups(2, 6)) return ipv4Class(bytes.slice(12));
  if (bytes[0] === 0xff) return 'multicast';
  if (bytes[0] === 0xfe && (bytes[1] & 0xc0) === 0x80) return 'link-local';
  if (bytes[0] === 0xfe && (bytes[1] & 0xc0) === 0xc0) return 'reserved';
  if (group(0) === 0x100 && zeroGroups(1, 4)) return 'reserved';
  if (group(0) === 0x2001 && group(1) === 0xdb8) return 'documentation';
  // The AWS instance metadata service's IPv6 address, inside the otherwise private ULA range.
  if (group(0) === 0xfd00 && group(1) === 0xec2 && zeroGroups(2, 7) && group(7) === 0x254) return 'link-local';
  if ((bytes[0] & 0xfe) === 0xfc) return 'private';
  return 'unicast';
}

export function addressClass(ip: IpAddress): AddressClass {
  return ip.family === 4 ? ipv4Class(ip.bytes) : ipv6Class(ip.bytes);
}

/**
 * The class of a host as a URL or a setting names it: an address literal (brackets, a zone id and a
 * trailing dot allowed) by `addressClass`, `localhost` and `*.localhost` as loopback (RFC 6761); null
 * for any other name, whose resolved addresses are to be classed before a connection is made.
 */
export function hostAddressClass(host: string): AddressClass | null {
  const text = stripBrackets(host.trim()).replace(/\.$/, '').toLowerCase();
  if (text === 'localhost' || text.endsWith('.localhost')) return 'loopback';
  // A zone id (`fe80::1%eth0`) picks an interface, not another address.
  const ip = parseIp(text.includes(':') ? text.replace(/%.*$/, '') : text);
  return ip ? addressClass(ip) : null;
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

/** A URL's authority: the host alone on the scheme's own port, else `host:port`; an IPv6 address in brackets either way. */
export function urlAuthority(host: string, port: number, defaultPort: number): string {
  return port === defaultPort ? bracketHost(host) : hostPort(host, port);
}

/**
 * A `Host` header or a `host[:port]` setting taken apart: a name or dotted address, or an IPv6
 * address in brackets, then an optional port of up to five digits (its text as written). The host
 * comes back lower case, an IPv6 address still in its brackets; null when the text is neither.
 */
export function parseHostPort(text: string): { host: string; port: string | null } | null {
  const match = /^(\[[0-9a-fA-F:.]+\]|[A-Za-z0-9.-]+)(?::(\d{1,5}))?$/.exec(text.trim());
  return match ? { host: match[1].toLowerCase(), port: match[2] ?? null } : null;
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

const CATALOG_REFUSED: Partial<Record<AddressClass, string>> = {
  unspecified: 'an unspecified address (0.0.0.0/8, ::)',
  loopback: 'a loopback address (127.0.0.0/8, ::1, localhost)',
  'link-local': 'a link-local address (169.254.0.0/16, fe80::/10), where cloud metadata services answer',
  multicast: 'a multicast address (224.0.0.0/4, ff00::/8)',
  broadcast: 'the broadcast address 255.255.255.255',
  reserved: 'a reserved address (240.0.0.0/4, ::a.b.c.d, fec0::/10, 100::/64)',
  documentation: 'a documentation address (192.0.2.0/24, 198.51.100.0/24, 203.0.113.0/24, 2001:db8::/32, …)',
};

/**
 * Why a catalog (or an image URL a catalog names) cannot be on this host, or null. A catalog URL is
 * typed by an admin and image URLs come from the catalog, so without this either could turn the
 * console into a probe of what only it can reach: its own loopback services, link-local addresses
 * such as the cloud metadata service 169.254.169.254, multicast or reserved ranges. Private ranges
 * stay allowed: a company mirror lives there. Loopback only with the explicit setting for tests and
 * demos. `resolvedFrom` names the host name that resolved to this address.
 */
export function catalogHostProblem(host: string, options: { allowLoopback: boolean }, resolvedFrom?: string): string | null {
  const found = hostAddressClass(host);
  const words = found ? CATALOG_REFUSED[found] : undefined;
  if (!found || !words || (found === 'loopback' && options.allowLoopback)) return null;
  const hint = found === 'loopback' ? ' (EWC_CATALOG_ALLOW_LOOPBACK=1 allows one for tests and demos)' : '';
  const subject = resolvedFrom ? `${resolvedFrom} resolves to ${host},` : `${host} is`;
  return `${subject} ${words}: a firmware catalog cannot be there${hint}`;
}
