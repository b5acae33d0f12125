import {
  DEFAULT_LOGGING_FACILITY,
  DEFAULT_TRAP_LEVEL,
  describeLoggingHost,
  loggingHostSchema,
  loggingSettingsSchema,
  sameLoggingHost,
  type LoggingFacility,
  type LoggingHost,
  type LoggingSettings,
  type LoggingTrapLevel,
  type LoggingTransport,
  type LoggingView,
} from '../../lib/loggingSettings';
import { auditedBy, type AuditLog } from '../app/audit/auditLog';
import type { EventLine } from '../store/eventLog';
import type { LoggingSettingsRepository } from '../store/loggingSettingsRepository';
import { loggingLines } from './loggingLines';
import type { SyslogForwarder } from './syslogForwarder';

/** Who changes the settings, as the audit trail records it (`ADDRESS (ssh)` from the CLI). */
export interface LoggingActor {
  username: string;
  sourceAddress: string;
}

type HostInput = { address: string; transport?: LoggingTransport; port?: number };

/** A CLI line's change; null sets the default back (`no logging trap`). */
export type LoggingChange =
  { kind: 'addHost'; host: HostInput } | { kind: 'removeHost'; host: HostInput } | { kind: 'trap'; trap: LoggingTrapLevel | null } | { kind: 'facility'; facility: LoggingFacility | null };

export type LoggingSaveResult = { ok: true; view: LoggingView } | { ok: false; error: string; issues: { path: string; message: string }[] };

export interface LoggingServiceDeps {
  repository: LoggingSettingsRepository;
  forwarder: SyslogForwarder;
  audit: AuditLog;
  log(line: EventLine): void;
  queueLines: number;
}

function refused(issues: readonly { path: PropertyKey[]; message: string }[]): LoggingSaveResult {
  return { ok: false, error: 'Logging settings not saved', issues: issues.map((issue) => ({ path: issue.path.join('.'), message: issue.message })) };
}

/**
 * Syslog to the site's servers: what the page, the API and the CLI call. Every change is the whole
 * settings checked by `loggingSettingsSchema` (the CLI's `logging host` builds them from the saved ones),
 * saved, applied to the forwarder, audited and logged.
 */
export class LoggingService {
  private changes: Promise<unknown> = Promise.resolve();

  constructor(private readonly deps: LoggingServiceDeps) {
    deps.forwarder.apply(deps.repository.get());
  }

  settings(): LoggingSettings {
    return this.deps.repository.get();
  }

  view(): LoggingView {
    return { settings: this.settings(), ...this.deps.forwarder.view(), queueLines: this.deps.queueLines };
  }

  save(input: unknown, actor: LoggingActor): Promise<LoggingSaveResult> {
    return this.oneAtATime(() => this.saveNow(input, actor));
  }

  /** One CLI line's change (`logging host …`, `no logging host …`, `logging trap …`, `logging facility …`), applied to the saved settings. */
  change(change: LoggingChange, actor: LoggingActor): Promise<LoggingSaveResult> {
    return this.oneAtATime(() => this.changeNow(change, actor));
  }

  // Each change starts from the settings the one before it saved: two at once (the page and a CLI line)
  // are taken one after the other, as they were when saving did not wait for the database.
  private oneAtATime(work: () => Promise<LoggingSaveResult>): Promise<LoggingSaveResult> {
    const turn = this.changes.then(work);
    this.changes = turn.catch(() => undefined);
    return turn;
  }

  private async saveNow(input: unknown, actor: LoggingActor): Promise<LoggingSaveResult> {
    const parsed = loggingSettingsSchema.safeParse(input);
    if (!parsed.success) return refused(parsed.error.issues);
    const before = this.settings();
    const settings = parsed.data;
    const added = settings.hosts.filter((host) => !before.hosts.some((listed) => sameLoggingHost(listed, host)));
    const removed = before.hosts.filter((host) => !settings.hosts.some((listed) => sameLoggingHost(listed, host)));
    const changes = [
      ...added.map((host) => `host ${describeLoggingHost(host)} added`),
      ...removed.map((host) => `host ${describeLoggingHost(host)} removed`),
      ...(before.trap !== settings.trap ? [`trap ${settings.trap}`] : []),
      ...(before.facility !== settings.facility ? [`facility ${settings.facility}`] : []),
    ];
    // The settings and their audit line in one transaction; the forwarder follows what was committed.
    await this.deps.repository.transaction(async (tx) => {
      await this.deps.repository.save(settings, tx);
      if (changes.length > 0) await this.deps.audit.record(auditedBy(actor, 'logging.change', changes.join('; ')), tx);
    });
    const { started, stopped } = this.deps.forwarder.apply(settings);
    const by = `${actor.username} from ${actor.sourceAddress}`;
    // The new host's first line says it was configured; a removed host's last line goes to the others.
    for (const host of stopped) this.deps.log(loggingLines.stopped(host, by));
    for (const host of started) this.deps.log(loggingLines.started(host, by));
    return { ok: true, view: this.view() };
  }

  private async changeNow(change: LoggingChange, actor: LoggingActor): Promise<LoggingSaveResult> {
    const current = this.settings();
    switch (change.kind) {
      case 'addHost': {
        const host = loggingHostSchema.safeParse(change.host);
        if (host.success && current.hosts.some((listed) => sameLoggingHost(listed, host.data))) return { ok: true, view: this.view() };
        return this.saveNow({ ...current, hosts: [...current.hosts, change.host] }, actor);
      }
      case 'removeHost': {
        // Only the address given: every transport and port of that address goes, as IOS's `no logging host ADDRESS`.
        const address = loggingHostSchema.safeParse({ address: change.host.address });
        if (!address.success) return refused(address.error.issues);
        const { transport, port } = change.host;
        const matches = (host: LoggingHost) => host.address === address.data.address && (transport === undefined || host.transport === transport) && (port === undefined || host.port === port);
        return this.saveNow({ ...current, hosts: current.hosts.filter((host) => !matches(host)) }, actor);
      }
      case 'trap':
        return this.saveNow({ ...current, trap: change.trap ?? DEFAULT_TRAP_LEVEL }, actor);
      case 'facility':
        return this.saveNow({ ...current, facility: change.facility ?? DEFAULT_LOGGING_FACILITY }, actor);
    }
  }
}
