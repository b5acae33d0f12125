import { describe, expect, it } from 'vitest';
import { MalformedPacketError, Opcode, blockOf, decodeError, decodeOack, decodeRequest, encodeAck, encodeData, encodeError, encodeOack, encodeRequest, opcodeOf } from './packets';

const hex = (b: Buffer) => b.toString('hex');

describe('TFTP packets', () => {
  it('encodes an octet RRQ with options exactly as RFC 2347 lays it out', () => {
    const packet = encodeRequest(Opcode.RRQ, '/EWC/17_9_4a/ap1g8', 'octet', [
      ['blksize', '1468'],
      ['tsize', '0'],
    ]);
    expect(packet).toEqual(Buffer.from('\x00\x01/EWC/17_9_4a/ap1g8\x00octet\x00blksize\x001468\x00tsize\x000\x00', 'latin1'));
  });

  it('decodes a request, lower-casing mode and option names but not values', () => {
    const request = decodeRequest(Buffer.from('\x00\x01ap1g6\x00OCTET\x00BlkSize\x00512\x00WindowSize\x0016\x00', 'latin1'));
    expect(request).toEqual({
      opcode: Opcode.RRQ,
      filename: 'ap1g6',
      mode: 'octet',
      options: new Map([
        ['blksize', '512'],
        ['windowsize', '16'],
      ]),
    });
  });

  it('rejects truncated or malformed requests', () => {
    expect(() => decodeRequest(Buffer.from('\x00\x01ap1g6\x00octet', 'latin1'))).toThrow(MalformedPacketError);
    expect(() => decodeRequest(Buffer.from('\x00\x01ap1g6\x00', 'latin1'))).toThrow(MalformedPacketError);
    expect(() => decodeRequest(Buffer.from('\x00\x01f\x00octet\x00blksize\x00', 'latin1'))).toThrow(MalformedPacketError);
    expect(() => decodeRequest(encodeAck(1))).toThrow(MalformedPacketError);
  });

  it('encodes DATA with the block number wrapped to 16 bits', () => {
    const packet = encodeData(65536 + 7, Buffer.from('abc'));
    expect(hex(packet)).toBe('00030007616263');
    expect(opcodeOf(packet)).toBe(Opcode.DATA);
    expect(blockOf(packet)).toBe(7);
  });

  it('encodes ACK', () => {
    expect(hex(encodeAck(65535))).toBe('0004ffff');
    expect(hex(encodeAck(65536))).toBe('00040000');
  });

  it('round-trips ERROR and tolerates a missing trailing NUL', () => {
    const packet = encodeError(1, 'File not found');
    expect(packet).toEqual(Buffer.from('\x00\x05\x00\x01File not found\x00', 'latin1'));
    expect(decodeError(packet)).toEqual({ code: 1, message: 'File not found' });
    expect(decodeError(Buffer.from('\x00\x05\x00\x02Access violation', 'latin1'))).toEqual({ code: 2, message: 'Access violation' });
  });

  it('round-trips OACK', () => {
    const packet = encodeOack([
      ['blksize', '1468'],
      ['tsize', '70512640'],
      ['windowsize', '16'],
    ]);
    expect(packet).toEqual(Buffer.from('\x00\x06blksize\x001468\x00tsize\x0070512640\x00windowsize\x0016\x00', 'latin1'));
    expect(decodeOack(packet)).toEqual(
      new Map([
        ['blksize', '1468'],
        ['tsize', '70512640'],
        ['windowsize', '16'],
      ]),
    );
    expect(() => decodeOack(Buffer.from('\x00\x06blksize\x00', 'latin1'))).toThrow(MalformedPacketError);
  });

  it('refuses to encode a NUL inside a file name', () => {
    expect(() => encodeRequest(Opcode.RRQ, 'a\0b', 'octet')).toThrow(MalformedPacketError);
  });
});
