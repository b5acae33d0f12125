import fs from 'node:fs';
import net from 'node:net';

/**
 * Below the kernel's ephemeral range: a port found free there is not handed to an outgoing connection (an AP's,
 * a client's) in the moment before the server that asked for it listens, as a port the kernel picked (`listen(0)`,
 * itself ephemeral) can be. Linux's range is read; 32768-60999 when it cannot be.
 */
function ephemeralStart(): number {
  try {
    const [low] = fs.readFileSync('/proc/sys/net/ipv4/ip_local_port_range', 'utf8').trim().split(/\s+/).map(Number);
    return Number.isInteger(low) && low > 0 ? low : 32768;
  } catch {
    return 32768;
  }
}
const RANGE = { first: 10_000, end: ephemeralStart() };

function listensFree(port: number): Promise<number | null> {
  return new Promise((resolve) => {
    const server = net.createServer();
    server.once('error', () => resolve(null));
    server.listen(port, '127.0.0.1', () => {
      const { port: bound } = server.address() as net.AddressInfo;
      server.close(() => resolve(bound));
    });
  });
}

/** A TCP port on loopback that nothing listens on right now, for a server a test or bench starts. */
export async function freeTcpPort(): Promise<number> {
  if (RANGE.end - RANGE.first >= 1000) {
    for (let attempt = 0; attempt < 50; attempt++) {
      const port = await listensFree(RANGE.first + Math.floor(Math.random() * (RANGE.end - RANGE.first)));
      if (port !== null) return port;
    }
  }
  const port = await listensFree(0);
  if (port === null) throw new Error('No free TCP port on 127.0.0.1');
  return port;
}
