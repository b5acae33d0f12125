import type { Namespace } from 'socket.io';
import { z } from 'zod';
import type { ApJoinInfo, ApToControllerEvents, ControllerToApEvents } from '../../lib/capwapEvents';
import { ApSession } from './apSession';

const joinInfoSchema = z.object({
  name: z.string().min(1).max(64),
  mac: z.string().min(1).max(32),
  model: z.string().min(1).max(64),
  imageType: z.string().min(1).max(32),
  primaryVersion: z.string().min(1).max(64),
  backupVersion: z.string().max(64),
  freeSpaceKb: z.number().int().min(0),
  hostsController: z.boolean(),
  controllerPrimaryVersion: z.string().max(64).optional(),
  controllerBackupVersion: z.string().max(64).optional(),
  siteTag: z.string().min(1).max(64).optional(),
  neighbors: z.array(z.string().min(1).max(32)).max(64).optional(),
});

export interface ApRegistryListener {
  joined(session: ApSession): void;
  left(mac: string): void;
  apLog(mac: string, line: string): void;
}

/** The APs connected right now, one session per MAC, fed by the `/capwap` namespace. */
export class ApRegistry {
  private readonly sessions = new Map<string, ApSession>();

  constructor(namespace: Namespace<ApToControllerEvents, ControllerToApEvents>, listener: ApRegistryListener) {
    namespace.use((socket, next) => {
      const parsed = joinInfoSchema.safeParse(socket.handshake.auth);
      if (!parsed.success) return next(new Error(`Join refused: ${parsed.error.issues.map((i) => `${i.path.join('.')} ${i.message}`).join('; ')}`));
      socket.data.join = parsed.data;
      next();
    });
    namespace.on('connection', (socket) => {
      const info = socket.data.join as ApJoinInfo;
      // An AP that joins again replaces its stale session, as a CAPWAP rejoin does.
      const session = new ApSession(info, socket);
      this.sessions.set(info.mac, session);
      socket.on('ap:log', (line) => {
        if (typeof line === 'string') listener.apLog(info.mac, line.slice(0, 500));
      });
      socket.on('disconnect', () => {
        if (this.sessions.get(info.mac) === session) {
          this.sessions.delete(info.mac);
          listener.left(info.mac);
        }
      });
      listener.joined(session);
    });
  }

  get(mac: string): ApSession | undefined {
    return this.sessions.get(mac);
  }

  isConnected(mac: string): boolean {
    return this.sessions.get(mac)?.connected ?? false;
  }
}
