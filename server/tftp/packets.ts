// TFTP wire format (RFC 1350) with option extension (RFC 2347).
// The hot path (DATA/ACK) reads opcode and block straight from the datagram; these helpers
// exist so that the parsing rules live in one place and are unit-tested.

export const Opcode = { RRQ: 1, WRQ: 2, DATA: 3, ACK: 4, ERROR: 5, OACK: 6 } as const;
export type Opcode = (typeof Opcode)[keyof typeof Opcode];

export const ErrorCode = {
  NOT_DEFINED: 0,
  FILE_NOT_FOUND: 1,
  ACCESS_VIOLATION: 2,
  DISK_FULL: 3,
  ILLEGAL_OPERATION: 4,
  UNKNOWN_TID: 5,
  FILE_EXISTS: 6,
  NO_SUCH_USER: 7,
  OPTION_REFUSED: 8,
} as const;

export const DATA_HEADER_BYTES = 4;
export const DEFAULT_BLKSIZE = 512;
export const MIN_BLKSIZE = 8;
export const MAX_BLKSIZE = 65464;
export const MAX_WINDOWSIZE = 65535;

export class MalformedPacketError extends Error {}

export type TftpOptions = Map<string, string>;

export interface RequestPacket {
  opcode: typeof Opcode.RRQ | typeof Opcode.WRQ;
  filename: string;
  mode: string;
  options: TftpOptions;
}

export interface ErrorPacket {
  code: number;
  message: string;
}

export function opcodeOf(packet: Buffer): number {
  return packet.length >= 2 ? packet.readUInt16BE(0) : -1;
}

export function blockOf(packet: Buffer): number {
  return packet.readUInt16BE(2);
}

export function encodeRequest(opcode: RequestPacket['opcode'], filename: string, mode: string, options: Iterable<[string, string]> = []): Buffer {
  const strings = [filename, mode];
  for (const [name, value] of options) strings.push(name, value);
  return withOpcode(opcode, strings);
}

export function decodeRequest(packet: Buffer): RequestPacket {
  const opcode = opcodeOf(packet);
  if (opcode !== Opcode.RRQ && opcode !== Opcode.WRQ) throw new MalformedPacketError(`not a request (opcode ${opcode})`);
  const strings = readStrings(packet, 2);
  if (strings.length < 2) throw new MalformedPacketError('request without filename and mode');
  if (strings.length % 2 !== 0) throw new MalformedPacketError('option without value');
  const [filename, mode] = strings as [string, string];
  return { opcode, filename, mode: mode.toLowerCase(), options: toOptions(strings.slice(2)) };
}

export function encodeData(block: number, payload: Buffer): Buffer {
  const packet = Buffer.allocUnsafe(DATA_HEADER_BYTES + payload.length);
  packet.writeUInt16BE(Opcode.DATA, 0);
  packet.writeUInt16BE(block & 0xffff, 2);
  payload.copy(packet, DATA_HEADER_BYTES);
  return packet;
}

export function encodeAck(block: number): Buffer {
  const packet = Buffer.allocUnsafe(4);
  packet.writeUInt16BE(Opcode.ACK, 0);
  packet.writeUInt16BE(block & 0xffff, 2);
  return packet;
}

export function encodeError(code: number, message: string): Buffer {
  const text = Buffer.from(message, 'utf8');
  const packet = Buffer.alloc(4 + text.length + 1);
  packet.writeUInt16BE(Opcode.ERROR, 0);
  packet.writeUInt16BE(code, 2);
  text.copy(packet, 4);
  return packet;
}

export function decodeError(packet: Buffer): ErrorPacket {
  if (opcodeOf(packet) !== Opcode.ERROR || packet.length < 4) throw new MalformedPacketError('not an ERROR packet');
  // Some servers omit the terminating NUL; take the message up to the end in that case.
  const end = packet.indexOf(0, 4);
  return { code: packet.readUInt16BE(2), message: packet.toString('utf8', 4, end === -1 ? packet.length : end) };
}

export function encodeOack(options: Iterable<[string, string]>): Buffer {
  const strings: string[] = [];
  for (const [name, value] of options) strings.push(name, value);
  return withOpcode(Opcode.OACK, strings);
}

export function decodeOack(packet: Buffer): TftpOptions {
  if (opcodeOf(packet) !== Opcode.OACK) throw new MalformedPacketError('not an OACK packet');
  const strings = readStrings(packet, 2);
  if (strings.length % 2 !== 0) throw new MalformedPacketError('OACK option without value');
  return toOptions(strings);
}

function withOpcode(opcode: number, strings: string[]): Buffer {
  const encoded = strings.map((s) => {
    if (s.includes('\0')) throw new MalformedPacketError('NUL inside a TFTP string');
    return Buffer.from(s, 'utf8');
  });
  const packet = Buffer.alloc(2 + encoded.reduce((n, b) => n + b.length + 1, 0));
  packet.writeUInt16BE(opcode, 0);
  let offset = 2;
  for (const b of encoded) {
    b.copy(packet, offset);
    offset += b.length + 1;
  }
  return packet;
}

function readStrings(packet: Buffer, start: number): string[] {
  const strings: string[] = [];
  let offset = start;
  while (offset < packet.length) {
    const end = packet.indexOf(0, offset);
    if (end === -1) throw new MalformedPacketError('unterminated string');
    strings.push(packet.toString('utf8', offset, end));
    offset = end + 1;
  }
  return strings;
}

// Option names are case-insensitive (RFC 2347); values are kept verbatim.
function toOptions(pairs: string[]): TftpOptions {
  const options: TftpOptions = new Map();
  for (let i = 0; i + 1 < pairs.length; i += 2) options.set(pairs[i]!.toLowerCase(), pairs[i + 1]!);
  return options;
}
