import { lookup } from 'node:dns/promises';
import fs from 'node:fs';
import { isIP } from 'node:net';
import { validate, type Settings, type TftpDownloadOptions, type TftpNegotiated } from './negotiation';
import { OptionsRefused, TftpError, cancelled, ioError } from './tftpErrors';
import { loadProblem, loadUdpSync } from './nativeUdp';
import { NativeTransfer, warmUpNativeEngine } from './nativeTransfer';
import { Transfer, type Endpoint, type Outcome, type TransferEngine } from './transfer';
import { stripBrackets } from '../../lib/netAddress';

export type { TftpDownloadOptions, TftpNegotiated } from './negotiation';
export { TftpError, type TftpErrorCode } from './tftpErrors';

export interface TftpDownloadResult {
  bytes: number;
  elapsedMs: number;
  negotiated: TftpNegotiated;
  /** Which transfer engine ran: the blocking worker one (native addon) or the event-driven one. */
  engine: 'native' | 'js';
}

export function describeNegotiation(n: TftpNegotiated): string {
  const parts = [`blksize ${n.blksize}`, `windowsize ${n.windowsize}`];
  if (n.tsize !== null) parts.push(`tsize ${n.tsize}`);
  const text = parts.join(', ');
  return n.optionsAccepted ? text : `${text} (server accepted no options)`;
}

export async function tftpDownload(options: TftpDownloadOptions): Promise<TftpDownloadResult> {
  const settings = validate(options);
  const started = performance.now();
  if (options.signal?.aborted) throw cancelled();
  const Engine = engine();
  if (Engine === NativeTransfer) warmUpNativeEngine();
  const server = await resolve(options.host);
  let fd: number;
  try {
    fd = await new Promise<number>((ok, ko) => fs.open(options.destination, 'w', (e, n) => (e ? ko(e) : ok(n))));
  } catch (e) {
    throw ioError(e);
  }
  try {
    let outcome: Outcome;
    try {
      outcome = await new Engine(settings, server, fd).run(settings.requestOptions);
    } catch (e) {
      // ERROR 8 on the RRQ means the server refuses our options; RFC 2347 lets us ask again without them.
      if (!(e instanceof OptionsRefused)) throw e;
      outcome = await new Engine(settings, server, fd).run(false);
    }
    await closeFd(fd);
    return { bytes: outcome.bytes, elapsedMs: performance.now() - started, negotiated: outcome.negotiated, engine: Engine === NativeTransfer ? 'native' : 'js' };
  } catch (e) {
    await closeFd(fd).catch(() => undefined);
    await fs.promises.rm(options.destination, { force: true });
    throw e;
  }
}

type EngineClass = new (settings: Settings, server: Endpoint, fd: number) => TransferEngine;

/**
 * The blocking worker engine when its addon is built, else the event-driven one;
 * EWC_TFTP_ENGINE=js|native forces one (native fails loudly when the addon is missing).
 */
function engine(): EngineClass {
  const forced = process.env.EWC_TFTP_ENGINE;
  if (forced === 'js') return Transfer;
  if (forced === 'native') {
    if (!loadUdpSync()) throw new TftpError('io', `EWC_TFTP_ENGINE=native: ${loadProblem()}`);
    return NativeTransfer;
  }
  if (forced) throw new RangeError(`EWC_TFTP_ENGINE must be js or native, not ${forced}`);
  return loadUdpSync() ? NativeTransfer : Transfer;
}

async function resolve(host: string): Promise<Endpoint> {
  const bare = stripBrackets(host);
  const family = isIP(bare);
  if (family === 4 || family === 6) return { address: bare, family };
  try {
    const found = await lookup(bare);
    return { address: found.address, family: found.family === 6 ? 6 : 4 };
  } catch (e) {
    throw new TftpError('io', `Unknown host ${host}`, null, { cause: e });
  }
}

function closeFd(fd: number): Promise<void> {
  return new Promise((ok, ko) => fs.close(fd, (e) => (e ? ko(e) : ok())));
}
