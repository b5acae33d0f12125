import { englishOf, sentence, type Sentence } from '../../lib/serverSentences';
import { catalogCheckResultSchema, type CatalogCheckResult } from '../../lib/firmwareCatalog';
import type { AccessPointRecord } from '../store/accessPointRepository';
import { catalogCheckRows } from '../store/catalogCheckRepository';
import type { Executor } from '../store/store';
import type { EventLine } from '../store/eventLog';
import type { StoredProfile } from '../store/profileRepository';
import { firmwareCheck } from './catalogClient';
import { CatalogError } from './catalogError';
import type { CatalogNetwork } from './catalogNetwork';
import { catalogClientOptions, fleetCheckRequest, type CatalogCaller } from './catalogSettings';
import { recomputeCheck, summarizeCheck } from './fleetCheck';

export interface CatalogCheckDeps {
  db: Executor;
  profile: () => StoredProfile;
  aps: () => AccessPointRecord[];
  controllerVersion: () => string;
  network: CatalogNetwork;
  caller: CatalogCaller;
  log: (line: EventLine) => void;
  /** Told after every check, so open pages show it. */
  checked?: (result: CatalogCheckResult) => void;
}

/** A check's message with its code beside it, for the page's language. */
const said = (message: Sentence) => ({ message: englishOf(message), messageSentence: message });

const NEVER_CHECKED = (catalogUrl: string): CatalogCheckResult => ({
  checkedAt: null,
  catalogUrl,
  imageTypes: [],
  ...said(sentence('catalogNotChecked')),
  certificate: null,
  ok: true,
  fleetChanged: null,
  fleetChangedSentence: null,
});

/** Milliseconds from `now` to the next HH:MM (local time). */
export function msUntilDaily(time: string, now = new Date()): number {
  const [hours, minutes] = time.split(':').map(Number);
  const next = new Date(now);
  next.setHours(hours, minutes, 0, 0);
  if (next.getTime() <= now.getTime()) next.setDate(next.getDate() + 1);
  return next.getTime() - now.getTime();
}

/** Check for New Version: runs a firmware check for the fleet, keeps the last result, and runs daily when the profile asks. */
export class CatalogCheckService {
  private running: Promise<CatalogCheckResult> | null = null;
  private timer: NodeJS.Timeout | null = null;

  constructor(private readonly deps: CatalogCheckDeps) {}

  /** The last check, its statuses worked out again for what the fleet runs now. */
  async last(): Promise<CatalogCheckResult> {
    const stored = await catalogCheckRows.last(this.deps.db);
    const parsed = stored ? catalogCheckResultSchema.safeParse(JSON.parse(stored)) : null;
    return parsed?.success ? recomputeCheck(parsed.data, this.deps.aps()) : NEVER_CHECKED(this.deps.profile().cco.catalogUrl);
  }

  /** Runs a check now; a check already running is joined, not doubled. */
  check(): Promise<CatalogCheckResult> {
    this.running ??= this.run().finally(() => (this.running = null));
    return this.running;
  }

  private async run(): Promise<CatalogCheckResult> {
    const profile = this.deps.profile();
    const { catalogUrl } = profile.cco;
    const checkedAt = new Date().toISOString();
    let result: CatalogCheckResult;
    if (!catalogUrl) {
      result = { ...NEVER_CHECKED(''), checkedAt, ok: false, ...said(sentence('catalogNoUrl')) };
    } else {
      const aps = this.deps.aps();
      try {
        const answer = await firmwareCheck(await catalogClientOptions(profile, this.deps.network, this.deps.caller), await fleetCheckRequest(aps, this.deps.controllerVersion(), this.deps.caller));
        result = summarizeCheck(catalogUrl, aps, answer, checkedAt);
      } catch (error) {
        const failure = error instanceof CatalogError ? error : new CatalogError('protocol', (error as Error).message);
        result = { ...NEVER_CHECKED(catalogUrl), checkedAt, ok: false, certificate: failure.certificate, ...said(sentence('catalogCheckFailed', { url: catalogUrl, reason: failure.reason })) };
      }
    }
    await catalogCheckRows.save(this.deps.db, checkedAt, JSON.stringify(result));
    this.deps.log({
      severity: result.ok ? 'notice' : 'error',
      facility: result.ok ? 'UPGRADE-5-AP_SW_UPDATE_LOG_MSG' : 'UPGRADE-3-AP_SW_UPDATE_ERROR',
      text: `Check for New Version: ${result.message}`,
    });
    this.deps.checked?.(result);
    return result;
  }

  /** Re-reads the profile's automatic check setting; call after every save. */
  reschedule(): void {
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
    const { autoCheck, autoCheckTime, catalogUrl } = this.deps.profile().cco;
    if (autoCheck !== 'daily' || !catalogUrl) return;
    this.timer = setTimeout(() => {
      void this.check().finally(() => this.reschedule());
    }, msUntilDaily(autoCheckTime));
    this.timer.unref();
  }

  dispose(): void {
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
  }
}
