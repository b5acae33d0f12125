import { describe, expect, it } from 'vitest';
import { addressClass, bracketHost, hostPort, imageServerProblem, parseHostPort, parseIp, plainAddress, stripBrackets, urlAuthority } from './netAddress';

const classOf = (text: string) => {
  const ip = parseIp(text);
  return ip ? addressClass(ip) : null;
};

describe('the address module', () => {
  it('parses IPv4 as four decimal numbers only, and IPv6 with or without brackets, into canonical text', () => {
    expect(parseIp('10.0.0.5')).toEqual({ family: 4, bytes: [10, 0, 0, 5], text: '10.0.0.5', mapped: false });
    expect(parseIp('[FD00:0:0:0::5]')?.text).toBe('fd00::5');
    expect(parseIp('2001:db8:0:0:1:0:0:1')?.text).toBe('2001:db8::1:0:0:1');
    expect(parseIp('::')?.text).toBe('::');
    expect(parseIp('1::')?.text).toBe('1::');
    expect(parseIp('64:ff9b::192.0.2.33')?.text).toBe('64:ff9b::c000:221');
    for (const bad of [
      '127.1',
      '0x7f000001',
      '2130706433',
      '010.0.0.1',
      '256.0.0.1',
      '1:2:3',
      ':1',
      '1:::2',
      '1::2::3',
      '1:2:3:4:5:6:7:8:9',
      'fe80::1%eth0',
      '[10.0.0.5]',
      '::1.2.3',
      '1.2.3.4::',
      'g::1',
      '',
    ]) {
      expect(parseIp(bad), bad).toBeNull();
    }
  });

  it('unwraps IPv4-mapped IPv6, dotted and hex, with and without brackets, to the IPv4 address it reaches', () => {
    for (const text of ['::ffff:224.0.0.1', '::FFFF:e000:1', '[::ffff:224.0.0.1]', '0:0:0:0:0:ffff:e000:0001', '0000::ffff:224.0.0.1']) {
      expect(parseIp(text), text).toEqual({ family: 4, bytes: [224, 0, 0, 1], text: '224.0.0.1', mapped: true });
    }
    expect(plainAddress('::ffff:10.0.0.7')).toBe('10.0.0.7');
    expect(plainAddress('::ffff:7f00:1')).toBe('127.0.0.1');
    expect(plainAddress('2001:DB8::0:1')).toBe('2001:db8::1');
    expect(plainAddress(undefined)).toBe('unknown');
    expect(plainAddress('not an address')).toBe('not an address');
  });

  it('names the class of every address, mapped ones by the IPv4 address inside', () => {
    const cases: [string, string][] = [
      ['0.0.0.0', 'unspecified'],
      ['0.1.2.3', 'unspecified'],
      ['::', 'unspecified'],
      ['::ffff:0.0.0.0', 'unspecified'],
      ['127.0.0.1', 'loopback'],
      ['127.255.0.9', 'loopback'],
      ['::1', 'loopback'],
      ['::ffff:127.0.0.1', 'loopback'],
      ['169.254.169.254', 'link-local'],
      ['::ffff:169.254.169.254', 'link-local'],
      ['fe80::1', 'link-local'],
      ['febf::1', 'link-local'],
      ['224.0.0.1', 'multicast'],
      ['239.255.255.250', 'multicast'],
      ['ff02::1', 'multicast'],
      ['::ffff:224.0.0.1', 'multicast'],
      ['255.255.255.255', 'broadcast'],
      ['::ffff:255.255.255.255', 'broadcast'],
      ['240.0.0.1', 'reserved'],
      ['::224.0.0.1', 'reserved'],
      ['::127.0.0.1', 'reserved'],
      ['fec0::1', 'reserved'],
      ['10.1.2.3', 'private'],
      ['172.16.0.1', 'private'],
      ['172.31.255.255', 'private'],
      ['192.168.1.1', 'private'],
      ['100.64.0.1', 'private'],
      ['fd00::5', 'private'],
      ['8.8.8.8', 'unicast'],
      ['172.32.0.1', 'unicast'],
      ['223.255.255.1', 'unicast'],
      ['2001:4860:4860::8888', 'unicast'],
      ['192.0.2.10', 'documentation'],
      ['2001:db8::1', 'documentation'],
      ['64:ff9b::7f00:1', 'loopback'],
      ['64:ff9b::a9fe:a9fe', 'link-local'],
      ['fd00:ec2::254', 'link-local'],
      ['100::1', 'reserved'],
    ];
    for (const [text, kind] of cases) expect(classOf(text), text).toBe(kind);
  });

  it('writes host:port with an IPv6 address in brackets, once', () => {
    expect(hostPort('10.0.0.5', 22)).toBe('10.0.0.5:22');
    expect(hostPort('fd00::5', 22)).toBe('[fd00::5]:22');
    expect(hostPort('[fd00::5]', 22)).toBe('[fd00::5]:22');
    expect(bracketHost('images.example.net')).toBe('images.example.net');
    expect(stripBrackets('[fd00::5]')).toBe('fd00::5');
    expect(urlAuthority('fd00::5', 69, 69)).toBe('[fd00::5]');
    expect(urlAuthority('fd00::5', 6969, 69)).toBe('[fd00::5]:6969');
    expect(urlAuthority('10.0.0.5', 2222, 22)).toBe('10.0.0.5:2222');
  });

  it('takes a Host header or a host[:port] setting apart', () => {
    expect(parseHostPort('Console.Example:3000')).toEqual({ host: 'console.example', port: '3000' });
    expect(parseHostPort('[::1]:3000')).toEqual({ host: '[::1]', port: '3000' });
    expect(parseHostPort('10.0.0.5')).toEqual({ host: '10.0.0.5', port: null });
    for (const bad of ['::1:3000', 'evil.example/path', 'user@host', 'host:port', 'host:123456', '']) expect(parseHostPort(bad), bad).toBeNull();
  });

  it('refuses image servers that are not one host, in every spelling of the address', () => {
    const cases: [string, RegExp][] = [
      ['0.0.0.0', /this network/],
      ['::ffff:0.0.0.0', /this network/],
      ['::', /unspecified/],
      ['255.255.255.255', /broadcast/],
      ['::ffff:255.255.255.255', /broadcast/],
      ['224.0.0.1', /multicast address \(224/],
      ['::ffff:224.0.0.1', /multicast address \(224/],
      ['[::ffff:e000:1]', /multicast address \(224/],
      ['ff02::1', /multicast address \(ff00/],
      ['240.0.0.1', /reserved/],
      ['::ffff:240.0.0.1', /reserved/],
      ['::224.0.0.1', /reserved/],
      ['127.1', /four decimal numbers/],
      ['0x7f000001', /four decimal numbers/],
      ['1:2:3', /IPv4 or IPv6 address or a host name/],
    ];
    for (const [value, message] of cases) expect(imageServerProblem(value), value).toMatch(message);
    for (const value of ['10.0.0.5', '::ffff:10.0.0.5', '127.0.0.1', 'fd00::5', '[fd00::5]', '192.0.2.10', '2001:db8::1', 'images.example.net']) expect(imageServerProblem(value), value).toBeNull();
  });
});
