import type { ApImageRow } from '../../lib/apImage';
import { consoleInvariants, describeViolations, joinDownloadIsTrue, surfacesAgree, violation, type Joiner, type SurfaceRow, type SurfaceView, type Violation } from '../../lib/invariants';
import { PREDOWNLOAD_ACTIVE } from '../../lib/predownloadStatus';
import type { UpgradeHistoryEntry } from '../../lib/upgradeHistory';
import { isCancellable, type UpgradeView } from '../../lib/upgradeStage';
import type { ModelConsole } from './modelConsole';
import { MODEL_FLEET } from './modelWorld';
import { parseShowApImage } from './showApImageText';

// Bounds on waiting for the console to settle: reaching them is itself reported, never waited out silently.
const REJOIN_WAIT_MS = 15_000;
const STORE_WAIT_MS = 3_000;
const REST_WAIT_MS = 20_000;
const PAGE_WAIT_MS = 3_000;
const POLL_MS = 20;

/** Which violations a run looks past. */
export type Overlook = (violation: Violation) => boolean;

const pause = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

async function until(deadlineMs: number, done: () => boolean | Promise<boolean>): Promise<boolean> {
  const deadline = Date.now() + deadlineMs;
  while (!(await done())) {
    if (Date.now() > deadline) return false;
    await pause(POLL_MS);
  }
  return true;
}

export function toSurfaceRow(row: ApImageRow): SurfaceRow {
  const { name, primaryImage, backupImage, predownloadStatus, predownloadVersion, retryCount, nextRetryTime, method } = row;
  return { name, primaryImage, backupImage, predownloadStatus, predownloadVersion, retryCount, nextRetryTime, method };
}

/**
 * An upgrade neither predownloading nor reloading (a paused rollout, or an unsigned bundle held for trust, waits
 * for the admin), with no scheduled action due now.
 */
function atRest(upgrade: UpgradeView, rows: readonly ApImageRow[]): boolean {
  const held = upgrade.bundleApproval !== null;
  if ((isCancellable(upgrade.stage) && !held) || rows.some((row) => (PREDOWNLOAD_ACTIVE.has(row.predownloadStatus) && !held) || row.predownloadStatus === 'Reloading')) return false;
  if (upgrade.stage === 'Reload' && upgrade.rollout?.state !== 'paused') return false;
  return !upgrade.scheduled.some((action) => Date.parse(action.at) < Date.now() + 2000);
}

/**
 * An upgrade that has not come to rest within REST_WAIT_MS. With the model's short waits (retries, rejoin and resume
 * deadlines of seconds) and 3,000-byte images, every run rests well within it; one that does not waits on nothing.
 */
function notAtRest({ upgrade, apImage }: { upgrade: UpgradeView; apImage: { aps: readonly ApImageRow[] } }): Violation {
  const moving = apImage.aps.filter((row) => PREDOWNLOAD_ACTIVE.has(row.predownloadStatus) || row.predownloadStatus === 'Reloading');
  const rows = moving.map((row) => `${row.name} ${row.predownloadStatus}${row.connected ? '' : ' (disconnected)'}`).join(', ');
  return violation('runsMoveOn', `upgrade ${upgrade.upgradeId ?? '-'} at stage ${upgrade.stage} did not come to rest within ${REST_WAIT_MS / 1000} s${rows ? `: ${rows}` : ''}`);
}

/**
 * The console under the model's commands, and what the checker keeps between steps: the last value seen
 * of each profile field and the fields saved since. After every step it waits for the console to settle
 * (the APs' connections, the store's tick) and checks every invariant of lib/invariants.
 */
export class ModelSystem {
  /** The profile as the check before read it. */
  private profile: object;
  private readonly named = new Set<string>();
  /** APs started on a version of the model's choosing, with the last log line before they joined: judged at rest. */
  private readonly joiners: { joiner: Joiner; since: number }[] = [];
  /** The newest upgrade as the check before saw it, if it had ended: its history is the record of its end. */
  private endedBefore: UpgradeHistoryEntry | null = null;
  readonly steps: string[] = [];

  /**
   * @param overlooked violations left out of the check, to look past a known defect for others (the bench's
   *   `--ignore`, printed with its results; a regression test held to one rule); the model test overlooks none.
   */
  constructor(
    readonly sut: ModelConsole,
    private readonly overlooked: Overlook = () => false,
  ) {
    this.profile = sut.api.getProfile().body as object;
  }

  /** Fields a save named (or may have named: a refused save that named them changes nothing either). */
  name(fields: Iterable<string>): void {
    for (const field of fields) this.named.add(field);
  }

  /** An AP is about to join: once the console rests, what it was given (or why not) is held to the joinDownload rule. */
  expectJoin(joiner: Joiner): void {
    this.joiners.push({ joiner, since: this.sut.syslog().at(-1)?.id ?? 0 });
  }

  /** Runs one step, lets the console settle, checks every invariant; throws with the violations and the steps so far. */
  async step(label: string, action: () => Promise<unknown>, options: { rest?: boolean } = {}, outcome: () => string = () => ''): Promise<void> {
    this.steps.push(label);
    await action();
    if (outcome()) this.steps[this.steps.length - 1] = `${label} → ${outcome()}`;
    const found = [...(await this.settle(options.rest ?? false)), ...(await this.check(options.rest ?? false))].filter((v) => !this.overlooked(v));
    if (found.length > 0) this.fail(this.steps[this.steps.length - 1], found);
    this.noCrash();
  }

  /**
   * Time passes while the checker keeps looking: every invariant at every turn of the event loop until the
   * upgrade rests, so the states a run passes through (Predownloading for a few milliseconds) are checked too.
   */
  async watch(label: string): Promise<void> {
    this.steps.push(label);
    const deadline = Date.now() + REST_WAIT_MS;
    let looks = 0;
    let rested = false;
    while (!rested && Date.now() < deadline) {
      const found = (await this.check(false)).filter((v) => !this.overlooked(v));
      looks += 1;
      if (found.length > 0) this.fail(`${label}, look ${looks}`, found);
      this.noCrash();
      const { upgrade, apImage } = this.sut.read();
      rested = atRest(upgrade, apImage.aps);
      if (!rested) await new Promise((resolve) => setImmediate(resolve));
    }
    this.steps[this.steps.length - 1] = `${label} → ${looks} looks`;
    const stuck = rested ? [] : [notAtRest(this.sut.read())].filter((v) => !this.overlooked(v));
    if (stuck.length > 0) this.fail(label, stuck);
  }

  /** An error nobody caught, in the console or an AP, fails the step it happened in. */
  private noCrash(): void {
    const crash = this.sut.crashes.shift();
    if (crash) throw new Error(`During step ${this.steps.length} (${this.steps.at(-1)}) something threw and nobody caught it:\n${crash}\n${this.stepList()}`);
  }

  private fail(label: string, found: readonly Violation[]): never {
    throw new Error(`After step ${this.steps.length} (${label}):\n${describeViolations(found)}\n${this.stepList()}`);
  }

  private stepList(): string {
    return `Steps:\n${this.steps.map((step, i) => `  ${i + 1}. ${step}`).join('\n')}`;
  }

  private async settle(rest: boolean): Promise<Violation[]> {
    const found: Violation[] = [];
    const { sut } = this;
    const connectedAsRunning = () => {
      const rows = sut.read().apImage.aps;
      return MODEL_FLEET.every((ap, index) => (rows.find((row) => row.mac === ap.mac)?.connected ?? false) === sut.running[index]);
    };
    if (!(await until(REJOIN_WAIT_MS, connectedAsRunning))) {
      const rows = sut.read().apImage.aps;
      for (const [index, ap] of MODEL_FLEET.entries()) {
        const shown = rows.find((row) => row.mac === ap.mac)?.connected ?? false;
        if (shown !== sut.running[index])
          found.push(
            violation('runningClaims', `${ap.name}: its AP is ${sut.running[index] ? 'up' : 'down'} but its row says ${shown ? 'connected' : 'not connected'} ${REJOIN_WAIT_MS / 1000} s later`),
          );
      }
    }
    if (rest && !(await until(REST_WAIT_MS, () => atRest(sut.read().upgrade, sut.read().apImage.aps)))) found.push(notAtRest(sut.read()));
    if (!(await this.storeCaughtUp())) {
      const behind = await this.storeBehind();
      if (!behind) found.push(violation('surfacesAgree', `the console changed at every look for ${STORE_WAIT_MS / 1000} s: the store was never seen to hold what GET /api/ap-image shows`));
      for (const { name, held, shown } of behind ?? []) found.push(violation('surfacesAgree', `${name}: the store holds ${held} ${STORE_WAIT_MS / 1000} s after GET /api/ap-image showed ${shown}`));
    }
    if (rest) found.push(...(await this.pageCaughtUp()));
    return found;
  }

  /** Waits for the store's tick: the database holds the status every row shows (bounded; false when it never did). */
  storeCaughtUp(): Promise<boolean> {
    return until(STORE_WAIT_MS, async () => (await this.storeBehind())?.length === 0);
  }

  /** The rows whose status the database does not hold yet, read at one instant (null when the console never held still). */
  private storeBehind(): Promise<{ name: string; held: string | undefined; shown: string }[] | null> {
    const { sut } = this;
    return sut.atOneInstant(
      () => sut.stored(),
      (stored) =>
        sut.read().apImage.aps.flatMap((row) => (stored.get(row.mac)?.status === row.predownloadStatus ? [] : [{ name: row.name, held: stored.get(row.mac)?.status, shown: row.predownloadStatus }])),
    );
  }

  /** The open page shows what the API shows, once its batches (four a second at most) have arrived. */
  private async pageCaughtUp(): Promise<Violation[]> {
    let last: Violation[] = [];
    const agrees = () => {
      const now = Date.now();
      const { apImage, upgrade } = this.sut.read();
      const state = this.sut.page.state;
      if (!state.loaded || !state.summary || !state.upgrade) {
        last = [violation('surfacesAgree', 'the page has no snapshot')];
        return false;
      }
      const api: SurfaceView = { surface: 'GET /api/ap-image', readAt: now, summary: apImage.summary, rows: apImage.aps.map(toSurfaceRow) };
      const page: SurfaceView = { surface: 'the page', readAt: now, summary: state.summary, rows: state.aps.map(toSurfaceRow) };
      last = surfacesAgree(api, page);
      if (state.upgrade.stage !== upgrade.stage) last.push(violation('surfacesAgree', `stage: GET /api/software-upgrade says ${upgrade.stage}, the page says ${state.upgrade.stage}`));
      const profile = JSON.stringify(this.sut.api.getProfile().body);
      if (JSON.stringify(state.profile) !== profile) last.push(violation('surfacesAgree', `profile: GET /api/image-download-profile says ${profile}, the page shows ${JSON.stringify(state.profile)}`));
      return last.length === 0;
    };
    return (await until(PAGE_WAIT_MS, agrees)) ? [] : last.map((v) => ({ ...v, message: `${v.message} (${PAGE_WAIT_MS / 1000} s after the console settled)` }));
  }

  /** The APs that run and whose rows say connected, with the images their flash holds. */
  private runningAps() {
    const rows = this.sut.read().apImage.aps;
    return MODEL_FLEET.flatMap((ap, index) => {
      const images = this.sut.agents[index].images;
      return this.sut.running[index] && rows.find((row) => row.mac === ap.mac)?.connected
        ? [{ name: ap.name, primaryVersion: images.primaryVersion, backupVersion: images.backupVersion, controllerPrimaryVersion: images.controllerPrimaryVersion }]
        : [];
    });
  }

  /**
   * Reads every surface at one instant (the database and the history first, then the API, the CLI's rendering,
   * which it does before its first await, and the log in one turn) and checks the invariants.
   */
  private async check(rest: boolean): Promise<Violation[]> {
    const { sut } = this;
    const seen = await sut.atOneInstant(
      async () => ({ history: (await sut.api.maintenance.listUpgrades()).body as UpgradeHistoryEntry[], stored: await sut.stored() }),
      (read) => ({ ...read, ...sut.read(), now: Date.now(), shown: sut.cli.execute('show ap image'), observed: sut.api.getProfile().body as object, syslog: sut.syslog(), aps: this.runningAps() }),
    );
    // Not a violation of any rule, and no look either: said, rather than passed over.
    if (!seen)
      throw new Error(`During step ${this.steps.length} (${this.steps.at(-1)}) the console never held still while the history and the store were read: no instant to check\n${this.stepList()}`);
    const { history, stored, apImage, upgrade, now, shown, observed, syslog, aps } = seen;
    const surfaces: SurfaceView[] = [{ surface: 'GET /api/ap-image', readAt: now, summary: apImage.summary, rows: apImage.aps.map(toSurfaceRow) }, parseShowApImage(await shown, now)];
    const state = sut.page.state;
    // The page is held to the API once it caught up, at rest (settle checked that it did).
    if (rest && state.summary) surfaces.push({ surface: 'the page', readAt: now, summary: state.summary, rows: state.aps.map(toSurfaceRow) });
    const found = consoleInvariants({
      upgrade,
      apImage,
      surfaces,
      history,
      members: apImage.aps.map((row) => ({ ...row, upgradeId: stored.get(row.mac)?.upgradeId ?? null })),
      membersCurrent: apImage.aps.every((row) => stored.get(row.mac)?.status === row.predownloadStatus),
      failedWhenCancelled: upgrade.upgradeId === null ? null : (sut.failedWhenCancelled.get(upgrade.upgradeId) ?? null),
      endedBefore: this.endedBefore,
      aps,
      syslog,
      bundles: sut.world.bundles,
      profile: { observed, before: this.profile, named: this.named },
    });
    if (rest) {
      for (const { joiner, since } of this.joiners.splice(0)) {
        const row = apImage.aps.find((candidate) => candidate.name === joiner.name);
        found.push(
          ...joinDownloadIsTrue({
            joiner,
            row,
            lines: syslog.filter((line) => line.id > since),
            upgradeIdNow: (row && stored.get(row.mac)?.upgradeId) ?? null,
            controllerVersionNow: apImage.aps.find((candidate) => candidate.hostsController)?.primaryImage ?? null,
          }),
        );
      }
    }
    this.endedBefore = history[0]?.finishedAt ? history[0] : null;
    this.profile = observed;
    this.named.clear();
    return found;
  }
}
