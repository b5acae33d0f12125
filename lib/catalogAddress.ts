/**
 * Which hosts the console may reach for a firmware catalog and its image URLs. A catalog URL is
 * typed by an admin and image URLs come from the catalog, so without these rules either could turn
 * the console into a probe of what only it can reach: its own loopback services, link-local
 * addresses such as the cloud metadata service 169.254.169.254, multicast or reserved ranges.
 * Private ranges (10/8, 172.16/12, 192.168/16, fc00::/7) stay allowed: a company mirror lives there.
 * Browser code imports this file: no node modules.
 */

export type AddressClass = 'unspecified' | 'loopback' | 'link-local' | 'multicast' | 'reserved';

const CLASS_WORDS: Record<AddressClass, string> = {
  unspecified: 'an unspecified address (0.0.0.0/8, ::)',
  loopback: 'a loopback address (127.0.0.0/8, ::1, localhost)',
  'link-local': 'a link-local address (169.254.0.0/16, fe80::/10), where cloud metadata services answer',
  multicast: 'a multicast address (224.0.0.0/4, ff00::/8)',
  reserved: 'a reserved or documentation address (240.0.0.0/4, 192.0.2.0/24, 2001:db8::/32, …)',
};

function ipv4Octets(text: string): number[] | null {
  const parts = text.split('.');
  if (parts.length !== 4 || !parts.every((p) => /^\d{1,3}$/.test(p))) return null;
  const octets = parts.map(Number);
  return octets.every((o) => o <= 255) ? octets : null;
}

function ipv4Class([a, b, c]: number[]): AddressClass | null {
  if (a === 0) return 'unspecified';
  if (a === 127) return 'loopback';
  if (a === 169 && b === 254) return 'link-local';
  if (a >= 224 && a <= 239) return 'multicast';
  if (a >= 240) return 'reserved';
  // Documentation ranges (RFC 5737) and the IETF protocol block (RFC 6890): never a catalog.
  if ((a === 192 && b === 0 && (c === 0 || c === 2)) || (a === 198 && b === 51 && c === 100) || (a === 203 && b === 0 && c === 113)) return 'reserved';
  return null;
}

/** The eight 16-bit groups of an IPv6 address (an IPv4 tail included), or null when it is not one. */
function ipv6Groups(text: string): number[] | null {
  const halves = text.toLowerCase().split('::');
  if (halves.length > 2) return null;
  const parse = (half: string): number[] | null => {
    if (half === '') return [];
    const groups: number[] = [];
    const parts = half.split(':');
    for (const [i, part] of parts.entries()) {
      const v4 = i === parts.length - 1 && part.includes('.') ? ipv4Octets(part) : null;
      if (v4) groups.push((v4[0] << 8) | v4[1], (v4[2] << 8) | v4[3]);
      else if (/^[0-9a-f]{1,4}$/.test(part)) groups.push(parseInt(part, 16));
      else return null;
    }
    return groups;
  };
  const head = parse(halves[0]);
  const tail = halves.length === 2 ? parse(halves[1]) : [];
  if (!head || !tail) return null;
  if (halves.length === 1) return head.length === 8 ? head : null;
  const missing = 8 - head.length - tail.length;
  return missing >= 1 ? [...head, ...new Array<number>(missing).fill(0), ...tail] : null;
}

function ipv6Class(g: number[]): AddressClass | null {
  const zeroUpTo = (n: number) => g.slice(0, n).every((v) => v === 0);
  const embedded = () => ipv4Class([g[6] >> 8, g[6] & 0xff, g[7] >> 8]);
  if (zeroUpTo(8)) return 'unspecified';
  if (zeroUpTo(7) && g[7] === 1) return 'loopback';
  // IPv4-mapped (::ffff:a.b.c.d), IPv4-compatible (::a.b.c.d) and NAT64 (64:ff9b::a.b.c.d) addresses reach the IPv4 inside.
  if (zeroUpTo(5) && g[5] === 0xffff) return embedded();
  if (zeroUpTo(6)) return embedded();
  if (g[0] === 0x64 && g[1] === 0xff9b && g.slice(2, 6).every((v) => v === 0)) return embedded();
  if ((g[0] & 0xffc0) === 0xfe80) return 'link-local';
  if ((g[0] & 0xff00) === 0xff00) return 'multicast';
  // Deprecated site-local, discard-only and documentation prefixes.
  if ((g[0] & 0xffc0) === 0xfec0 || (g[0] === 0x100 && zeroUpTo(4)) || (g[0] === 0x2001 && g[1] === 0xdb8)) return 'reserved';
  // The AWS instance metadata service's IPv6 address, inside the otherwise allowed ULA range.
  if (g[0] === 0xfd00 && g[1] === 0xec2 && g.slice(2, 7).every((v) => v === 0) && g[7] === 0x254) return 'link-local';
  return null;
}

/**
 * The class of an address or host name that a catalog must not be on, or null when it may be:
 * an IPv4 or IPv6 literal (brackets allowed) is classified, IPv4-mapped and NAT64 forms by the IPv4
 * address inside; `localhost` and `*.localhost` are loopback (RFC 6761); any other name is null here
 * and its resolved addresses are checked before the connection is made.
 */
export function catalogAddressClass(host: string): AddressClass | null {
  const text = host.trim().replace(/^\[|\]$/g, '').replace(/\.$/, '').toLowerCase();
  if (text === 'localhost' || text.endsWith('.localhost')) return 'loopback';
  const v4 = ipv4Octets(text);
  if (v4) return ipv4Class(v4);
  const v6 = text.includes(':') ? ipv6Groups(text.replace(/%.*$/, '')) : null;
  return v6 ? ipv6Class(v6) : null;
}

/**
 * Why a catalog (or an image URL) cannot be on this host, or null; loopback only with the explicit
 * setting for tests and demos. `resolvedFrom` names the host name that resolved to this address.
 */
export function catalogHostProblem(host: string, options: { allowLoopback: boolean }, resolvedFrom?: string): string | null {
  const found = catalogAddressClass(host);
  if (found === null || (found === 'loopback' && options.allowLoopback)) return null;
  const hint = found === 'loopback' ? ' (EWC_CATALOG_ALLOW_LOOPBACK=1 allows one for tests and demos)' : '';
  const subject = resolvedFrom ? `${resolvedFrom} resolves to ${host},` : `${host} is`;
  return `${subject} ${CLASS_WORDS[found]}: a firmware catalog cannot be there${hint}`;
}
