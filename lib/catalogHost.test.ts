import { describe, expect, it } from 'vitest';
import { catalogHostProblem, hostAddressClass } from './netAddress';

// Parsing only: no address here is ever contacted.
describe('where a firmware catalog may be', () => {
  it('classes hosts as URLs name them (names, brackets, zone ids), IPv4-mapped and NAT64 forms by the IPv4 address inside', () => {
    const classes: Record<string, string | null> = {
      '127.0.0.1': 'loopback',
      '127.255.0.9': 'loopback',
      '::1': 'loopback',
      '[::1]': 'loopback',
      '::ffff:127.0.0.1': 'loopback',
      '[::ffff:7f00:1]': 'loopback',
      localhost: 'loopback',
      'LOCALHOST.': 'loopback',
      'catalog.localhost': 'loopback',
      '169.254.169.254': 'link-local',
      '::ffff:169.254.169.254': 'link-local',
      '::ffff:a9fe:a9fe': 'link-local',
      '64:ff9b::a9fe:a9fe': 'link-local',
      'fe80::1': 'link-local',
      'fe80::1%eth0': 'link-local',
      'fd00:ec2::254': 'link-local',
      '224.0.0.1': 'multicast',
      '::ffff:224.0.0.1': 'multicast',
      'ff02::1': 'multicast',
      '0.0.0.0': 'unspecified',
      '::ffff:0.0.0.0': 'unspecified',
      '::': 'unspecified',
      '255.255.255.255': 'broadcast',
      '::ffff:255.255.255.255': 'broadcast',
      '240.0.0.1': 'reserved',
      '192.0.2.10': 'documentation',
      '2001:db8::5': 'documentation',
      '::10.0.0.5': 'reserved',
      'fec0::1': 'reserved',
      '10.0.0.5': 'private',
      '172.16.4.26': 'private',
      '192.168.1.10': 'private',
      'fd12:3456::10': 'private',
      '2001:4860:4860::8888': 'unicast',
      'catalog.example.com': null,
      '::ffff:10.0.0.5': 'private',
    };
    expect(Object.fromEntries(Object.keys(classes).map((host) => [host, hostAddressClass(host)]))).toEqual(classes);
    // A company mirror on a private or global address, or a name (its addresses are checked once resolved), may serve the catalog; nothing else may.
    const allowed = Object.keys(classes).filter((host) => catalogHostProblem(host, { allowLoopback: false }) === null);
    expect(allowed).toEqual(['10.0.0.5', '172.16.4.26', '192.168.1.10', 'fd12:3456::10', '2001:4860:4860::8888', 'catalog.example.com', '::ffff:10.0.0.5']);
  });

  it('allows loopback only with the explicit setting, and says why otherwise', () => {
    expect(catalogHostProblem('127.0.0.1', { allowLoopback: true })).toBeNull();
    expect(catalogHostProblem('127.0.0.1', { allowLoopback: false })).toBe(
      '127.0.0.1 is a loopback address (127.0.0.0/8, ::1, localhost): a firmware catalog cannot be there (EWC_CATALOG_ALLOW_LOOPBACK=1 allows one for tests and demos)',
    );
    expect(catalogHostProblem('169.254.169.254', { allowLoopback: true })).toBe(
      '169.254.169.254 is a link-local address (169.254.0.0/16, fe80::/10), where cloud metadata services answer: a firmware catalog cannot be there',
    );
    expect(catalogHostProblem('169.254.169.254', { allowLoopback: false }, 'metadata.example')).toBe(
      'metadata.example resolves to 169.254.169.254, a link-local address (169.254.0.0/16, fe80::/10), where cloud metadata services answer: a firmware catalog cannot be there',
    );
  });
});
