import { Worker } from 'node:worker_threads';
import type { ConsoleConfig } from '../config';
import type { ThreadMemory } from '../diagnostics/runtimeStats';
import type { ApTrust } from '../pki/apTrust';
import type { EventLine } from '../store/eventLog';
import { ApPortHost } from './apPortHost';
import { EnrolmentLine } from './enrolmentLine';
import { ApSessionError, type ApPortSettings, type FromApPort, type LinkRequest, type LinkResults, type ToApPort } from './apPortProtocol';

const WORKER_ENTRY = new URL('./apPortWorker.mjs', import.meta.url);
// A worker that died is started again after this, on the same port; its APs join again by themselves.
const RESTART_DELAY_MS = 1000;

/** What a delivery lends its request: how it is called off, and where the AP's acknowledged bytes go. */
export interface DeliveryHooks {
  signal: AbortSignal;
  onAcknowledged: (bytes: number) => void;
}

interface Pending {
  resolve: (value: never) => void;
  reject: (error: Error) => void;
  onAcknowledged?: (bytes: number) => void;
  settled: () => void;
}

/** Where the AP connections live: a worker thread, or the console's own event loop. */
interface Host {
  post(message: ToApPort): void;
  /** Resolves once the host is gone (a worker has exited; an in-loop host has closed its server). */
  stop(closed: Promise<void>): Promise<void>;
}

const portLine = (text: string): EventLine => ({ severity: 'error', facility: 'CAPWAPAC_SMGR_TRACE_MESSAGE-5-AP_JOIN_DISJOIN', text });

/**
 * The AP port (`EWC_CAPWAP_PORT`), TLS with the local CA on its own port so that no browser page can
 * reach it. Its connections (TLS, WebSocket and socket.io framing, image blocks) live in a worker thread
 * by default, so that thousands of APs cost the event loop that answers pages and the API nothing; with
 * `EWC_AP_PORT_WORKER=0` the same code runs on the console's event loop. This side holds what needs the
 * console's state: it answers enrolments (the CA and the AP authorization list live here), hands joins,
 * leaves and AP log lines to the AP registry, and sends the console's requests to one AP, each answered
 * once with a reply already parsed against `lib/`'s schemas.
 */
export class CapwapPort {
  private host: Host | null = null;
  private settings: ApPortSettings | null = null;
  private readonly pending = new Map<number, Pending>();
  private readonly links = new Set<number>();
  private readonly listeners = new Set<(event: FromApPort) => void>();
  /** A few at once keep the signing and the database busy; more would only lengthen the loop's turns. */
  private readonly enrolments = new EnrolmentLine(4);
  private nextRequest = 1;
  private boundPort: number | null = null;
  private closing = false;
  private restartTimer: NodeJS.Timeout | null = null;
  private lastWorkerMemory: ThreadMemory | null = null;

  constructor(
    private readonly trust: ApTrust,
    private readonly admission: ConsoleConfig['apAdmission'],
    private readonly log: (line: EventLine) => void,
    /** `EWC_AP_PORT_WORKER`: the connections in a worker thread (true) or on this event loop. */
    private readonly inWorker = true,
  ) {}

  /** Every event of the AP port, as the console's side receives it (the AP registry listens here). */
  subscribe(listener: (event: FromApPort) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  /** Opens the CA, then starts the connections' side listening; resolves with the port (useful with port 0). */
  async listen(port: number, host: string): Promise<number> {
    const ca = await this.trust.openCa([host]);
    this.settings = {
      host,
      port,
      tls: { keyPem: ca.controllerKeyPem, certPem: ca.controllerCertPem, caPem: ca.caCertPem },
      limits: this.admission.port,
      enrolmentsPerSecond: this.admission.joinsPerSecond,
      logLinesPerSecond: this.admission.logLinesPerSecond,
      logLineMaxLength: this.admission.logLineMaxLength,
    };
    this.boundPort = await this.start(this.settings);
    return this.boundPort;
  }

  get port(): number | null {
    return this.boundPort;
  }

  /** The worker's own memory as it last reported it; null in-loop or while no worker runs. */
  get workerMemory(): ThreadMemory | null {
    return this.lastWorkerMemory;
  }

  /** Sends one request to the AP on `link`; rejects with an ApSessionError for what the AP did, or an Error for the controller's own failure. */
  request<K extends LinkRequest['op']>(link: number, request: Extract<LinkRequest, { op: K }>, delivery?: DeliveryHooks): Promise<LinkResults[K]> {
    const host = this.host;
    if (!host) return Promise.reject(new ApSessionError('AP is not connected'));
    const id = this.nextRequest++;
    return new Promise<LinkResults[K]>((resolve, reject) => {
      const cancel = () => host.post({ type: 'cancel', id });
      delivery?.signal.addEventListener('abort', cancel, { once: true });
      this.pending.set(id, {
        resolve: resolve as (value: never) => void,
        reject,
        onAcknowledged: delivery?.onAcknowledged,
        settled: () => delivery?.signal.removeEventListener('abort', cancel),
      });
      host.post({ type: 'request', id, link, request });
    });
  }

  /** An admitted link is this port's to report as left if its connections' side goes away. */
  answerAdmission(link: number, answer: { ok: true } | { ok: false; reason: string }): void {
    if (answer.ok) this.links.add(link);
    this.host?.post(answer.ok ? { type: 'admitted', link, ok: true } : { type: 'admitted', link, ok: false, reason: answer.reason });
  }

  versionMismatch(link: number, controllerVersion: string): void {
    this.host?.post({ type: 'versionMismatch', link, controllerVersion });
  }

  disconnect(link: number): void {
    this.host?.post({ type: 'disconnect', link });
  }

  /** Tells every AP that the controller is stopping, just before the connections close. */
  stopping(reason: string): void {
    this.host?.post({ type: 'stopping', reason });
  }

  async close(): Promise<void> {
    this.closing = true;
    if (this.restartTimer) clearTimeout(this.restartTimer);
    const host = this.host;
    // A console whose AP port never listened (tests of the HTTP side) has nothing to close.
    if (!host) return;
    const closed = new Promise<void>((resolve) => {
      const unsubscribe = this.subscribe((event) => {
        if (event.type !== 'closed') return;
        unsubscribe();
        resolve();
      });
    });
    host.post({ type: 'close' });
    await host.stop(closed);
    this.stopped(host, 0);
  }

  private start(settings: ApPortSettings): Promise<number> {
    return new Promise<number>((resolve, reject) => {
      const receive = (batch: FromApPort[]) => {
        for (const event of batch) {
          if (event.type === 'listening') resolve(event.port);
          else if (event.type === 'listenFailed') reject(new Error(event.message));
          else this.received(event);
        }
      };
      if (!this.inWorker) {
        const inLoop = new ApPortHost(settings, receive);
        // Posted on a later microtask, as to a worker: a reply never runs inside the call that asked for it.
        this.host = { post: (message) => queueMicrotask(() => inLoop.received(message)), stop: (closed) => closed };
        return;
      }
      const worker = new Worker(WORKER_ENTRY, { workerData: settings });
      const host: Host = {
        post: (message) => worker.postMessage(message),
        stop: async (closed) => {
          const exited = new Promise<void>((done) => worker.once('exit', () => done()));
          await Promise.race([closed, exited]);
          await worker.terminate();
        },
      };
      this.host = host;
      worker.on('message', receive);
      worker.on('error', (error) => {
        console.error('AP port worker error:', error);
        reject(error);
      });
      worker.once('exit', (code) => {
        reject(new Error(`The AP port's worker exited (${code}) before it listened`));
        this.stopped(host, code);
      });
    });
  }

  private received(event: FromApPort): void {
    switch (event.type) {
      case 'log':
        this.log(event.line);
        break;
      case 'enrol':
        this.enrolments.push(() => this.enrol(event.id, event.body, event.source));
        break;
      case 'left':
        this.links.delete(event.link);
        break;
      case 'memory':
        this.lastWorkerMemory = event.memory;
        break;
      case 'progress':
        for (const [id, bytes] of event.acknowledged) this.pending.get(id)?.onAcknowledged?.(bytes);
        break;
      case 'reply': {
        const pending = this.pending.get(event.id);
        if (!pending) break;
        this.pending.delete(event.id);
        pending.settled();
        if (event.acknowledged !== undefined) pending.onAcknowledged?.(event.acknowledged);
        if (event.ok) pending.resolve(event.value as never);
        else pending.reject(event.failure.kind === 'session' ? new ApSessionError(event.failure.message) : new Error(event.failure.message));
        break;
      }
    }
    for (const listener of this.listeners) listener(event);
  }

  private async enrol(id: number, body: unknown, source: string): Promise<void> {
    let result: { status: number; body: unknown };
    try {
      result = await this.trust.enrol(body, source);
    } catch (error) {
      console.error('Enrolment error:', error instanceof Error ? error.message : error);
      result = { status: 500, body: { error: 'Internal error; see the console log.' } };
    }
    this.host?.post({ type: 'enrolled', id, status: result.status, body: result.body });
  }

  /**
   * The connections' side is gone: every request still waiting fails as a dropped AP would, every AP it
   * held has left, and unless the console is closing a worker starts again on the same port (after a crash).
   */
  private stopped(host: Host, code: number): void {
    if (this.host !== host) return;
    this.host = null;
    this.lastWorkerMemory = null;
    for (const [id, pending] of this.pending) {
      this.pending.delete(id);
      pending.settled();
      pending.reject(new ApSessionError('AP disconnected'));
    }
    for (const link of [...this.links]) this.received({ type: 'left', link });
    if (this.closing || !this.settings || this.boundPort === null) return;
    this.log(portLine(`The AP port stopped unexpectedly (exit code ${code}); it starts again in ${RESTART_DELAY_MS / 1000} s and the APs join again`));
    const settings = { ...this.settings, port: this.boundPort };
    this.restartTimer = setTimeout(() => {
      this.restartTimer = null;
      this.start(settings).catch((error: Error) => this.log(portLine(`The AP port could not start again: ${error.message}`)));
    }, RESTART_DELAY_MS);
  }
}
