import { lookup as systemLookup } from 'node:dns/promises';
import { isIP } from 'node:net';
import { catalogHostProblem, stripBrackets } from '../../lib/netAddress';
import type { ConsoleConfig } from '../config';
import { CatalogError } from './catalogError';

/** Every address a host name resolves to; a seam so tests can give a name any address without a resolver or a packet. */
export type ResolveAll = (hostname: string) => Promise<{ address: string; family: number }[]>;

const resolveWithSystem: ResolveAll = (hostname) => systemLookup(hostname, { all: true, verbatim: true });

/** How the console reaches a catalog and its files: address rules and transfer limits. */
export interface CatalogNetwork {
  /** No byte for this long ends a connection or a transfer (`Timed out`); the minimum rate is measured over the same span. */
  timeoutMs: number;
  /** Slowest transfer kept, in bytes per second over each `timeoutMs`; 0 turns it off. */
  minBytesPerSecond: number;
  /** Longest one request or download attempt may take in all. */
  deadlineMs: number;
  /** Loopback catalogs and image URLs (tests and the demo only). */
  allowLoopback: boolean;
  /** Origins besides the catalog's own that its image URLs may point at. */
  imageOrigins: readonly string[];
  /** Largest file a catalog may announce. */
  maxImageBytes: number;
  resolve?: ResolveAll;
}

export function catalogNetworkOf(config: ConsoleConfig): CatalogNetwork {
  return {
    timeoutMs: config.catalogTimeoutMs,
    minBytesPerSecond: config.catalogMinBytesPerSecond,
    deadlineMs: config.catalogDeadlineMs,
    allowLoopback: config.catalogAllowLoopback,
    imageOrigins: config.catalogImageOrigins,
    maxImageBytes: config.uploadMaxBytes,
  };
}

/**
 * The one address the console connects to for this host, after checking it: a literal is checked
 * as it is, a name by every address it resolves to (one forbidden address refuses the name, so a
 * name cannot pair a harmless address with 169.254.169.254). The caller connects to the address
 * returned, never to the name again, so a second resolution cannot swap in another address.
 */
export async function resolveCatalogHost(hostname: string, network: Pick<CatalogNetwork, 'allowLoopback' | 'resolve'>): Promise<string> {
  const host = stripBrackets(hostname);
  const literal = catalogHostProblem(host, network);
  if (literal) throw new CatalogError('refused', literal);
  if (isIP(host)) return host;
  let addresses: { address: string }[];
  try {
    addresses = await (network.resolve ?? resolveWithSystem)(host);
  } catch {
    throw new CatalogError('unreachable', 'Host not found');
  }
  if (addresses.length === 0) throw new CatalogError('unreachable', 'Host not found');
  for (const { address } of addresses) {
    const problem = catalogHostProblem(address, network, host);
    if (problem) throw new CatalogError('refused', problem);
  }
  return addresses[0].address;
}
