import { io, type Socket } from 'socket.io-client';
import { CAPWAP_NAMESPACE, type ApJoinInfo, type ApToControllerEvents, type ControllerToApEvents } from '../../../lib/capwapEvents';
import { checkControllerIdentity, type ApCredentials } from './apCredentials';
import type { ControllerList } from './controllerList';

export type ControllerSocket = Socket<ControllerToApEvents, ApToControllerEvents>;

// What the AP says about its tries while it has no controller to say it to: why it left, and the last rounds.
const MAX_HELD_LINES = 10;

/**
 * The AP's connection to the first controller of its list that answers, moving along the list on
 * socket.io's own reconnection: the same waits as with one controller (1 s, 2 s, 4 s, then every
 * 5 s, each ±50 % at random), each try to the controller the list names. `log` gets the lines about
 * which controller the AP tries and joins, once it has joined one that can record them.
 */
export function connectToControllers(controllers: ControllerList, credentials: ApCredentials, joinInfo: () => ApJoinInfo, log: (line: string) => void): ControllerSocket {
  const held: string[] = [];
  const hold = (line: string | null) => {
    if (line === null) return;
    held.push(line);
    if (held.length > MAX_HELD_LINES) held.splice(1, 1);
  };
  const first = controllers.nextTry();
  hold(first.line);
  const socket: ControllerSocket = io(`${first.url}${CAPWAP_NAMESPACE}`, {
    // A function, so every reconnection reports the images the AP holds now, not those it held at the first join.
    auth: (send) => send(joinInfo()),
    transports: ['websocket'],
    // Each AP its own connection: socket.io must not multiplex two APs' certificates onto one.
    forceNew: true,
    // A controller that went away is retried after 1 s, 2 s, 4 s, then every 5 s, each delay ±50 % at
    // random, so a fleet that lost its controller does not rejoin in the same millisecond.
    reconnectionDelay: 1000,
    reconnectionDelayMax: 5000,
    randomizationFactor: 0.5,
    // Mutual TLS: the AP proves its certificate, and accepts only the controller's (every node of one database has the same CA).
    ca: credentials.caCertPem,
    key: credentials.keyPem,
    cert: credentials.certPem,
    rejectUnauthorized: true,
    // engine.io-client hands this on to the WebSocket's TLS connection; its option type does not list it.
    ...({ checkServerIdentity: checkControllerIdentity } as object),
  });
  socket.io.on('reconnect_attempt', () => {
    const next = controllers.nextTry();
    hold(next.line);
    // The manager opens each engine on its `uri`, which socket.io's types keep private; pointing it at the
    // next controller keeps socket.io's own backoff, auth callback and event handlers for every controller.
    (socket.io as unknown as { uri: string }).uri = next.url;
  });
  socket.on('connect', () => {
    hold(controllers.join());
    for (const line of held.splice(0)) log(line);
  });
  // The controller said it is stopping, or its link closed: the next try starts from the primary.
  socket.on('controller:stopping', () => controllers.lost());
  socket.on('disconnect', () => controllers.lost());
  return socket;
}
