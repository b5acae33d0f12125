import type { AddressInfo, Server } from 'node:net';

/** Listens on `host:port` (0: any free port) and gives the port it got; a refusal (the port taken) rejects instead of throwing later. */
export function listenOn(server: Server, host: string, port: number): Promise<number> {
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, () => {
      server.off('error', reject);
      resolve((server.address() as AddressInfo).port);
    });
  });
}
