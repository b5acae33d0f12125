import type { ApJoinInfo, ImageOffer } from '../../lib/capwapEvents';
import type { EndReply, PrecheckReply, ReloadReply } from '../../lib/capwapReplies';
import type { ThreadMemory } from '../diagnostics/runtimeStats';
import type { EventLine } from '../store/eventLog';
import type { ApPortLimits } from './sourceConnections';

/**
 * What the console's side of the AP port and the side that holds the AP connections say to each other.
 * The connection side owns every byte of the AP channel (TLS, WebSocket and socket.io framing, image
 * blocks read from the cache) and runs in a worker thread, or on the console's own event loop when the
 * worker is switched off: the messages are the same either way. The console's side decides (admission,
 * what to send to whom) and receives only what the connection side has already checked against the
 * schemas of `lib/` (join info, replies, cut log lines). Every message is plain data and none carries
 * image bytes: a delivery names the cached file and the connection side reads it.
 */

/** One end of an AP's CAPWAP session: an address as the AP port sees it, and its port. */
export interface SessionEnd {
  address: string;
  port: number;
}

/** An AP's session as the controller's AP port sees it: the AP's end and the controller's own. */
export interface SessionEndpoints {
  ap: SessionEnd;
  controller: SessionEnd;
}

export interface ApPortSettings {
  host: string;
  port: number;
  tls: { keyPem: string; certPem: string; caPem: string };
  limits: ApPortLimits;
  enrolmentsPerSecond: number;
  logLinesPerSecond: number;
  logLineMaxLength: number;
}

/** What the console asks of one AP's link; each is answered by one `reply` with the same id. */
export type LinkRequest =
  { op: 'precheck'; offer: ImageOffer } | { op: 'deliver'; offer: ImageOffer; filePath: string; maxResumeOffset: number } | { op: 'abort'; reason: string; cannotStart: boolean } | { op: 'reload' };

/** What a request's reply carries when it succeeds. */
export interface LinkResults {
  precheck: PrecheckReply;
  deliver: EndReply;
  abort: null;
  reload: ReloadReply;
}

export type ToApPort =
  | { type: 'admitted'; link: number; ok: true }
  | { type: 'admitted'; link: number; ok: false; reason: string }
  | { type: 'enrolled'; id: number; status: number; body: unknown }
  | { type: 'request'; id: number; link: number; request: LinkRequest }
  /** A delivery the console no longer wants (the run was cancelled or stopped). */
  | { type: 'cancel'; id: number }
  /** A notice without an answer: the AP runs another image than the controller's and is about to be given it. */
  | { type: 'versionMismatch'; link: number; controllerVersion: string }
  | { type: 'disconnect'; link: number }
  | { type: 'stopping'; reason: string }
  | { type: 'close' };

export type CheckedJoin = { ok: true; info: ApJoinInfo; serial: string } | { ok: false; reason: string };

/** `session`: what the AP did or did not do (its row shows it); `internal`: the controller's own failure (a cache file gone). */
export interface LinkFailure {
  kind: 'session' | 'internal';
  message: string;
}

export type FromApPort =
  | { type: 'listening'; port: number }
  | { type: 'listenFailed'; message: string }
  | { type: 'log'; line: EventLine }
  | { type: 'enrol'; id: number; body: unknown; source: string }
  /**
   * A join for the console to decide, answered by `admitted`. `checked` is what the AP port could check by
   * itself; a join it refused comes too, so that the console logs the refusal before the AP reads it.
   */
  | { type: 'admit'; link: number; address: string; endpoints: SessionEndpoints; checked: CheckedJoin }
  | { type: 'left'; link: number }
  | { type: 'apLog'; link: number; line: string }
  /** The bytes each delivery's AP has acknowledged so far, at most every PROGRESS_INTERVAL_MS: [request id, bytes]. */
  | { type: 'progress'; acknowledged: Array<[number, number]> }
  | { type: 'reply'; id: number; ok: true; value: LinkResults[keyof LinkResults]; acknowledged?: number }
  | { type: 'reply'; id: number; ok: false; failure: LinkFailure; acknowledged?: number }
  /** The AP port worker's own memory (its V8 heap and buffers), every WORKER_MEMORY_INTERVAL_MS; in-loop, the console's figures say it all. */
  | { type: 'memory'; memory: ThreadMemory }
  | { type: 'closed' };

export const WORKER_MEMORY_INTERVAL_MS = 1000;

// Often enough for the page's four batches a second; rarely enough that thousands of deliveries cost the console a few messages.
export const PROGRESS_INTERVAL_MS = 100;

export class ApSessionError extends Error {}
