import { connect, createServer, type AddressInfo, type Server, type Socket } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { freeTcpPort } from '../sim/testing/freeTcpPort';
import { leaderCli } from './cliForward';
import type { StandbyStatus } from './nodeLeadership';
import { acceptForwardedSource, SourcePreambleProof } from './sourcePreamble';
import { listenTcpForward, type TcpForward } from './tcpForward';

const KEY = Buffer.alloc(32, 9).toString('base64');
const NOW = Date.UTC(2026, 11, 6, 23, 0, 0);

const closers: (() => Promise<void>)[] = [];
afterEach(async () => {
  for (const close of closers.splice(0)) await close();
});

describe('the preamble that proves a forwarded connection’s source', () => {
  it('proves the address once, within its window, for the port it was made for, under the shared key only', () => {
    const proof = new SourcePreambleProof(KEY, 'cli');
    const line = proof.line({ node: 'B', address: '::ffff:10.0.0.7' }, NOW);
    expect(line).toMatch(/^EWC-FORWARDED-TCP\/1 cli B 10\.0\.0\.7 \d+ [\w-]{22} [\w-]{43}\r\n$/);
    expect(proof.verify(line, NOW + 29_000)).toEqual({ ok: true, source: { node: 'B', address: '10.0.0.7' } });
    expect(proof.verify(line, NOW + 29_000)).toEqual({ ok: false, reason: 'was used before (a replay)' });

    const fresh = new SourcePreambleProof(KEY, 'cli');
    expect(fresh.verify(proof.line({ node: 'B', address: '10.0.0.7' }, NOW), NOW + 31_000)).toMatchObject({ ok: false, reason: expect.stringContaining('is not from the last 30 s') });
    expect(fresh.verify(new SourcePreambleProof(KEY, 'ap').line({ node: 'B', address: '10.0.0.7' }, NOW), NOW)).toEqual({ ok: false, reason: 'was made for another port (ap)' });
    const otherKey = new SourcePreambleProof(Buffer.alloc(32, 1).toString('base64'), 'cli').line({ node: 'B', address: '10.0.0.7' }, NOW);
    expect(fresh.verify(otherKey, NOW)).toMatchObject({ ok: false, reason: expect.stringContaining('wrong HMAC') });
    // Another address under the same MAC.
    expect(fresh.verify(line.replace('10.0.0.7', '10.0.0.8'), NOW)).toMatchObject({ ok: false, reason: expect.stringContaining('wrong HMAC') });
    expect(fresh.verify('EWC-FORWARDED-TCP/1 cli B not-an-ip 1 x y\r\n', NOW)).toEqual({ ok: false, reason: 'is malformed' });
  });
});

/** A server that answers every connection's first bytes with the address it sees and what followed the preamble. */
async function echoingSource(proof: SourcePreambleProof, refusals: string[]): Promise<{ port: number; server: Server }> {
  const server = createServer((raw) => {
    const socket = acceptForwardedSource(raw, proof, (peer, reason) => refusals.push(`${peer}: ${reason}`));
    socket.write('HELLO\n');
    socket.once('data', (data: Buffer) => socket.end(`${socket.remoteAddress} said ${data.toString()}`));
    socket.on('error', () => undefined);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  closers.push(() => new Promise((resolve) => server.close(() => resolve())));
  return { port: (server.address() as AddressInfo).port, server };
}

function exchange(port: number, send: string, from = '127.0.0.2'): Promise<string> {
  return new Promise((resolve, reject) => {
    let text = '';
    const socket: Socket = connect({ host: '127.0.0.1', port, localAddress: from }, () => socket.write(send));
    socket.on('data', (data: Buffer) => (text += data.toString()));
    socket.on('error', reject);
    socket.on('close', () => resolve(text));
  });
}

describe('a TCP port forwarded to the leader with a proven source', () => {
  it("passes bytes both ways after the preamble, and the leader's side sees the client's address; an ordinary client is its own", async () => {
    const proof = new SourcePreambleProof(KEY, 'cli');
    const refusals: string[] = [];
    const leader = await echoingSource(proof, refusals);
    const forward = await listenTcpForward('127.0.0.1', 0, { node: 'B', proof, target: () => ({ host: '127.0.0.1', port: leader.port }) });
    closers.push(() => forward.close());

    // The server speaks first (as an SSH server does): its line reaches the client at once.
    expect(await exchange(forward.port, 'SSH-2.0-client\r\n')).toBe('HELLO\n127.0.0.2 said SSH-2.0-client\r\n');
    expect(await exchange(leader.port, 'SSH-2.0-client\r\n', '127.0.0.3')).toBe('HELLO\n127.0.0.3 said SSH-2.0-client\r\n');
    // A preamble sent by anyone but a node: refused, closed, said.
    expect(await exchange(leader.port, `EWC-FORWARDED-TCP/1 cli B 10.0.0.9 1 ${'n'.repeat(22)} ${'m'.repeat(43)}\r\nSSH-2.0-x\r\n`, '127.0.0.3')).toBe('HELLO\n');
    expect(refusals).toEqual(['127.0.0.3: its forwarding preamble has a wrong HMAC (forged, or made with another EWC_SECRET_KEY)']);
  });

  it('closes a connection without a byte when no leader takes it, and frees its port when closed', async () => {
    const closedPort = await freeTcpPort();
    const gaveUp: string[] = [];
    let forward: TcpForward | null = await listenTcpForward('127.0.0.1', 0, {
      node: 'B',
      proof: new SourcePreambleProof(KEY, 'cli'),
      target: () => ({ host: '127.0.0.1', port: closedPort }),
      gaveUp: (client) => gaveUp.push(client),
    });
    expect(await exchange(forward.port, 'SSH-2.0-client\r\n')).toBe('');
    expect(gaveUp).toEqual(['127.0.0.2']);
    const { port } = forward;
    await forward.close();
    forward = null;
    // The node's own server takes the port next.
    const own = createServer();
    await new Promise<void>((resolve) => own.listen(port, '127.0.0.1', resolve));
    await new Promise((resolve) => own.close(resolve));
  });
});

describe("where a standby's CLI port sends its connections", () => {
  const status = (cliUrl: string | null, starting = false): StandbyStatus => ({
    node: 'B',
    leader: { name: 'A', webUrl: 'http://127.0.0.1:3000', apUrl: null, cliUrl, role: 'leader', startedAt: '', leadingSince: null, lastSeen: '' },
    leaderUnseenS: null,
    takeoverWithinS: 3,
    retryAfterS: 1,
    starting,
  });

  it("goes to the leader's CLI address, and nowhere while this node starts to lead or the leader listens on every address", () => {
    expect(leaderCli(status('ssh://127.0.0.1:2022'))).toEqual({ host: '127.0.0.1', port: 2022 });
    expect(leaderCli(status('ssh://[fd00::5]:2022'))).toEqual({ host: 'fd00::5', port: 2022 });
    expect(leaderCli(status('ssh://127.0.0.1:2022', true))).toBeNull();
    expect(leaderCli(status(null))).toBeNull();
    // From another machine 0.0.0.0 would be the standby itself: its port would pass each connection to itself.
    expect(leaderCli(status('ssh://0.0.0.0:2022'))).toBeNull();
    expect(leaderCli(status('ssh://[::]:2022'))).toBeNull();
  });
});
