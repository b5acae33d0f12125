import { createHash } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { Worker } from 'node:worker_threads';
import type { Settings } from './negotiation';
import { addonPath } from './nativeUdp';
import type { NativeJob, NativeWorkerData, SerializedError, WorkerMessage } from './nativeWorker';
import { OptionsRefused, TftpError } from './tftpErrors';
import type { Endpoint, Outcome, TransferEngine } from './transfer';

const REPO_ROOT = fileURLToPath(new URL('../..', import.meta.url));
const BUNDLE = path.join(REPO_ROOT, 'native', 'udp-sync', 'build', 'nativeWorker.cjs');
const BUNDLE_INPUTS = path.join(REPO_ROOT, 'native', 'udp-sync', 'build', 'nativeWorker.inputs.json');
const TYPESCRIPT_ENTRY = new URL('./nativeWorker.mjs', import.meta.url);

let entry: URL | null = null;

/**
 * native/build.mjs bundles the worker into plain JS, which starts ~120 ms sooner than loading
 * its TypeScript through tsx. The bundle is used only while every source it was built from is
 * unchanged, so an edited source is never shadowed by a stale build.
 */
function workerEntry(): URL {
  if (!entry) {
    entry = TYPESCRIPT_ENTRY;
    try {
      const inputs = JSON.parse(fs.readFileSync(BUNDLE_INPUTS, 'utf8')) as Record<string, string>;
      const fresh = Object.entries(inputs).every(
        ([file, sha256]) =>
          createHash('sha256')
            .update(fs.readFileSync(path.join(REPO_ROOT, file)))
            .digest('hex') === sha256,
      );
      if (fresh && fs.existsSync(BUNDLE)) entry = new URL(`file://${BUNDLE}`);
    } catch {
      // No bundle was built (or a source it lists is gone): the TypeScript entry always works.
    }
  }
  return entry;
}

/**
 * Workers that have finished a transfer wait here for the next one: starting a worker (and the
 * TypeScript loader in it) costs more than a whole transfer of a small file.
 */
const idle: Worker[] = [];
// More than this many idle workers only after a burst of parallel downloads: let those go.
const MAX_IDLE = 2;
let booting: Worker | null = null;

// Flags that preload modules, with or without a separate value.
const PRELOAD_FLAGS = new Set(['--import', '--require', '-r', '--loader', '--experimental-loader']);

/**
 * The parent's Node options minus its preloads. A worker inherits `--import tsx` (how the CLI
 * runs), and tsx registering its hooks again there added ~50 ms to a ~25 ms boot, all of it on
 * the transfer's clock; the worker needs no preload (the bundle is plain JS, the TypeScript
 * entry imports through tsx's API itself).
 */
function workerExecArgv(): string[] {
  const kept: string[] = [];
  const argv = process.execArgv;
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i]!;
    const eq = arg.indexOf('=');
    if (!PRELOAD_FLAGS.has(eq < 0 ? arg : arg.slice(0, eq))) kept.push(arg);
    else if (eq < 0) i++;
  }
  return kept;
}

function spawn(): Worker {
  const workerData: NativeWorkerData = { addonPath: addonPath() };
  const worker = new Worker(workerEntry(), { workerData, execArgv: workerExecArgv() });
  // An idle worker must never keep the process alive.
  worker.unref();
  // Without a listener a crash would be an uncaught exception; a job in progress learns of it
  // through its own 'error' and 'exit' listeners.
  worker.on('error', () => undefined);
  worker.once('exit', () => {
    const at = idle.indexOf(worker);
    if (at >= 0) idle.splice(at, 1);
    if (booting === worker) booting = null;
  });
  return worker;
}

/** Starts a worker ahead of need, so that it boots while the caller resolves and opens files. */
export function warmUpNativeEngine(): void {
  if (idle.length === 0 && !booting) booting = spawn();
}

function acquire(): Worker {
  if (booting) {
    const worker = booting;
    booting = null;
    return worker;
  }
  return idle.pop() ?? spawn();
}

function deserialize(e: SerializedError): Error {
  if (e.kind === 'tftp') return new TftpError(e.code, e.reason, e.serverErrorCode);
  if (e.kind === 'options-refused') return new OptionsRefused(e.message);
  return Object.assign(new Error(e.message), { stack: e.stack });
}

/** The blocking engine seen from the main thread: one transfer run by a worker (nativeWorker.ts). */
export class NativeTransfer implements TransferEngine {
  constructor(
    private readonly settings: Settings,
    private readonly server: Endpoint,
    private readonly fd: number,
  ) {}

  run(withOptions: boolean): Promise<Outcome> {
    const { signal, onProgress, ...plain } = this.settings;
    const abort = new Int32Array(new SharedArrayBuffer(4));
    const job: NativeJob = { settings: plain, server: this.server, fd: this.fd, withOptions, abort };
    const worker = acquire();
    return new Promise<Outcome>((ok, ko) => {
      let settled = false;
      const onAbort = () => Atomics.store(abort, 0, 1);
      const settle = (outcome: Outcome | null, error: unknown) => {
        if (settled) return;
        settled = true;
        signal?.removeEventListener('abort', onAbort);
        // Still dallying: that must not keep the process alive, just as in the event-driven engine.
        worker.unref();
        if (outcome) ok(outcome);
        else ko(error);
      };
      const onMessage = (message: WorkerMessage) => {
        switch (message.type) {
          case 'progress':
            onProgress?.(message.written, message.total);
            break;
          case 'done':
            onProgress?.(message.bytes, message.negotiated.tsize);
            settle({ negotiated: message.negotiated, bytes: message.bytes }, null);
            break;
          case 'error':
            settle(null, deserialize(message.error));
            break;
          case 'idle':
            detach();
            if (idle.length < MAX_IDLE) idle.push(worker);
            else void worker.terminate();
            break;
        }
      };
      const onError = (e: Error) => settle(null, new TftpError('io', `TFTP worker failed: ${e.message}`, null, { cause: e }));
      const onExit = (code: number) => {
        detach();
        settle(null, new TftpError('io', `TFTP worker exited with code ${code}`));
      };
      const detach = () => {
        worker.off('message', onMessage);
        worker.off('error', onError);
        worker.off('exit', onExit);
      };
      worker.on('message', onMessage);
      worker.on('error', onError);
      worker.on('exit', onExit);
      signal?.addEventListener('abort', onAbort);
      if (signal?.aborted) onAbort();
      worker.ref();
      worker.postMessage(job);
    });
  }
}
