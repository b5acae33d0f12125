import fs from 'node:fs';
import type { Server as HttpsServer } from 'node:https';
import type { SecureContextOptions } from 'node:tls';
import type { ConsoleConfig } from '../config';
import { allowedHostNames } from '../http/hostCheck';
import type { ApTrust } from '../pki/apTrust';
import { localCaIdentity } from './consoleCertificate';
import { readTlsFiles, TlsIdentityError, type TlsIdentity } from './tlsIdentity';

/** Where the HTTPS port's certificate comes from: the local CA, or the admin's files (watched for changes). */
export interface IdentitySource {
  /** The identity to serve now; throws a TlsIdentityError when it cannot be used. */
  load(): Promise<TlsIdentity>;
  files: readonly string[];
}

export interface HttpsIdentityOptions {
  log: (line: string) => void;
  /** How often the admin's files are looked at (stat); a change is reloaded once it has settled. */
  watchIntervalMs?: number;
}

// Both files of a renewal (certbot, an admin's cp) change within moments: reload once, after the last.
const SETTLE_MS = 300;
// A local-CA certificate is renewed 30 days before its end; a console up for a year must notice by itself.
const DAILY_MS = 86_400_000;

function contextOptions(identity: TlsIdentity): SecureContextOptions {
  return { key: identity.keyPem, cert: identity.certPem, minVersion: 'TLSv1.2' };
}

/**
 * The certificate the HTTPS port presents, replaced in place: `setSecureContext` applies to new TLS
 * connections only, so open pages, their sockets and keep-alive connections go on undisturbed. A
 * replacement that does not load (a key that is not the certificate's, a half-written file) is
 * refused and logged, and the port keeps serving the certificate it had.
 */
export class HttpsIdentity {
  private reloading: Promise<void> = Promise.resolve();
  private settleTimer: NodeJS.Timeout | null = null;
  private readonly dailyTimer: NodeJS.Timeout;
  private readonly unwatch: (() => void)[] = [];

  private constructor(
    private readonly server: HttpsServer,
    private readonly source: IdentitySource,
    private readonly options: HttpsIdentityOptions,
    private current: TlsIdentity,
  ) {
    server.setSecureContext(contextOptions(current));
    for (const file of source.files) {
      const listener = (now: fs.Stats, before: fs.Stats) => {
        if (now.mtimeMs !== before.mtimeMs || now.ino !== before.ino || now.size !== before.size) this.settleThenReload();
      };
      fs.watchFile(file, { interval: options.watchIntervalMs ?? 2000, persistent: false }, listener);
      this.unwatch.push(() => fs.unwatchFile(file, listener));
    }
    this.dailyTimer = setInterval(() => void this.reload('daily check'), DAILY_MS);
    this.dailyTimer.unref();
  }

  /** Loads the first identity (a failure stops the start) and puts it on the server. */
  static async start(server: HttpsServer, source: IdentitySource, options: HttpsIdentityOptions): Promise<HttpsIdentity> {
    return new HttpsIdentity(server, source, options, await source.load());
  }

  get identity(): TlsIdentity {
    return this.current;
  }

  /** Loads the certificate again (SIGHUP, a file change, the daily check); resolves once it is in place or refused. */
  reload(why: string): Promise<void> {
    this.reloading = this.reloading.then(async () => {
      try {
        const next = await this.source.load();
        if (next.fingerprint === this.current.fingerprint) {
          // An admin's SIGHUP gets an answer; the daily check stays quiet when nothing is due.
          if (why !== 'daily check') this.options.log(`HTTPS certificate unchanged (${why}): still serving SHA-256 ${next.fingerprint} from ${next.source}`);
          return;
        }
        this.server.setSecureContext(contextOptions(next));
        this.current = next;
        this.options.log(`HTTPS certificate reloaded (${why}): SHA-256 ${next.fingerprint} from ${next.source}`);
      } catch (error) {
        const reason = error instanceof TlsIdentityError ? error.message : String(error);
        this.options.log(`HTTPS certificate not reloaded (${why}): ${reason}; still serving SHA-256 ${this.current.fingerprint}`);
      }
    });
    return this.reloading;
  }

  dispose(): void {
    if (this.settleTimer) clearTimeout(this.settleTimer);
    clearInterval(this.dailyTimer);
    for (const stop of this.unwatch) stop();
  }

  private settleThenReload(): void {
    if (this.settleTimer) clearTimeout(this.settleTimer);
    this.settleTimer = setTimeout(() => {
      this.settleTimer = null;
      void this.reload('file change');
    }, SETTLE_MS);
  }
}

/** The admin's files when EWC_TLS_CERT and EWC_TLS_KEY are set, else the local CA's certificate for the names the console answers to. */
export function identitySourceFor(config: Pick<ConsoleConfig, 'https' | 'host' | 'allowedHosts'>, trust: Pick<ApTrust, 'openCa' | 'pkiDir'>): IdentitySource {
  const { certFile, keyFile } = config.https;
  if (certFile && keyFile) return { files: [certFile, keyFile], load: async () => readTlsFiles(certFile, keyFile) };
  const names = allowedHostNames({ configured: config.allowedHosts, listenHost: config.host });
  return { files: [], load: async () => localCaIdentity(await trust.openCa([config.host]), trust.pkiDir, names) };
}
