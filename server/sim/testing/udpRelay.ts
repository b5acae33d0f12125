import dgram from 'node:dgram';

// A UDP relay between a TFTP client and server on loopback that reorders and delays the
// server's DATA packets, or holds every request until a gate opens (an image server slow to answer). TFTP servers answer from a new port per transfer (the TID) and the
// client must see one stable peer per TID, so the relay keeps one client-facing socket per
// server TID, and one server-facing socket per client.

export interface UdpRelayOptions {
  serverPort: number;
  /** Every `holdEvery`-th DATA packet from a server is held back (none without it) ... */
  holdEvery?: number;
  /** ... until this many later packets of the same transfer passed it ... */
  holdBehind: number;
  /** ... or at most this long, so that lock-step transfers, where nothing follows, go on. */
  maxHoldMs: number;
  /** Each transfer's request reaches the server once what this answers for it resolves (a repeated request is dropped, as always). */
  gate?: (request: Buffer) => Promise<void>;
}

export interface UdpRelay {
  port: number;
  /** DATA packets that were held back and delivered late. */
  readonly reordered: number;
  /** Payload bytes of every DATA packet the server sent (retransmissions included): what was read from it. */
  readonly dataBytes: number;
  close(): Promise<void>;
}

const DATA = 3;

interface Held {
  packet: Buffer;
  passedBy: number;
  timer: NodeJS.Timeout;
}

export async function startUdpRelay(options: UdpRelayOptions): Promise<UdpRelay> {
  const sockets: dgram.Socket[] = [];
  const timers = new Set<NodeJS.Timeout>();
  // Synchronous on purpose: Node queues sends until the bind is done, and two packets arriving
  // back to back must not each create a socket.
  const open = (): dgram.Socket => {
    const socket = dgram.createSocket('udp4');
    sockets.push(socket);
    socket.bind(0, '127.0.0.1');
    return socket;
  };
  const front = open();
  await new Promise<void>((ok) => front.once('listening', () => ok()));
  const serverSide = new Map<string, dgram.Socket>();
  let reordered = 0;
  let dataBytes = 0;

  front.on('message', (request, client) => {
    const key = `${client.address}:${client.port}`;
    if (serverSide.has(key)) return;
    const toServer = open();
    serverSide.set(key, toServer);
    const toClient = new Map<number, dgram.Socket>();
    let dataCount = 0;
    const held: Held[] = [];
    const release = (h: Held, via: dgram.Socket) => {
      clearTimeout(h.timer);
      timers.delete(h.timer);
      held.splice(held.indexOf(h), 1);
      reordered++;
      via.send(h.packet, client.port, client.address);
    };
    toServer.on('message', (packet, server) => {
      let via = toClient.get(server.port);
      if (!via) {
        const socket = open();
        // Whatever the client sends to this socket goes back to the TID it stands for.
        socket.on('message', (reply) => toServer.send(reply, server.port, server.address));
        toClient.set(server.port, socket);
        via = socket;
      }
      const socket = via;
      const isData = packet.length >= 4 && packet.readUInt16BE(0) === DATA;
      if (isData) dataBytes += packet.length - 4;
      if (isData && options.holdEvery !== undefined && ++dataCount % options.holdEvery === 0) {
        const h: Held = { packet, passedBy: 0, timer: setTimeout(() => release(h, socket), options.maxHoldMs) };
        timers.add(h.timer);
        held.push(h);
        return;
      }
      socket.send(packet, client.port, client.address);
      for (const h of [...held]) if (++h.passedBy >= options.holdBehind) release(h, socket);
    });
    if (options.gate) void options.gate(request).then(() => toServer.send(request, options.serverPort, '127.0.0.1'));
    else toServer.send(request, options.serverPort, '127.0.0.1');
  });

  return {
    port: front.address().port,
    get reordered() {
      return reordered;
    },
    get dataBytes() {
      return dataBytes;
    },
    close: async () => {
      for (const timer of timers) clearTimeout(timer);
      await Promise.all(sockets.map((s) => new Promise<void>((ok) => s.close(() => ok()))));
    },
  };
}
