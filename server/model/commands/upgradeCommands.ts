import { namedFieldPaths } from '../../../lib/invariants';
import type { ImageDownloadProfileView } from '../../../lib/imageDownloadProfile';
import type { ApiResult } from '../../http/apiResult';
import { ADMIN } from '../../sim/testing/consoleHarness';
import type { ModelState } from '../modelState';
import type { ModelSystem } from '../modelSystem';
import { MODEL_FLEET } from '../modelWorld';
import { answer, cliAnswer, ModelCommand, show } from './modelCommand';
import { cliLine, cliLineFields, imagePathOf, pageBody, type PathChoice } from './profileCommands';

export interface DownloadChoice {
  path: PathChoice;
  parallel: boolean;
  via: 'page' | 'cli';
  /** Milliseconds from now: Save & Download at a time (the page only). */
  inMs?: number;
  /** Asked to confirm that APs running the bundle's version lose their backup image, the admin does (the page's dialog, the CLI's `replace-backup`). */
  replaceBackup?: boolean;
}

/** The CLI's Save & Download with the saved profile, confirming the backup replacement or not. */
function predownloadLine(replaceBackup: boolean | undefined): string {
  return replaceBackup ? 'ap image predownload replace-backup' : 'ap image predownload';
}

/** The CLI lines that point the profile at the world's tftpd-hpa and a bundle there. */
function tftpLines(choice: DownloadChoice): string[] {
  return [
    'image-download-mode tftp',
    'tftp-image-server 127.0.0.1',
    `tftp-image-path ${imagePathOf(choice.path)}`,
    'tftp-image-port {tftpPort}',
    choice.parallel ? 'parallel-mode' : 'no parallel-mode',
  ];
}

/**
 * Save & Download on the page. Asked whether to replace the backup images of APs that run the bundle's
 * version, the admin confirms or not; confirmed, the page sends the same body again with the confirmation.
 */
async function pageDownload(system: ModelSystem, body: object, replaceBackup = false): Promise<{ result: ApiResult; said: string }> {
  const first = await system.sut.api.startDownload(body, ADMIN, 'page');
  const asked = first.status === 409 && typeof first.body === 'object' && first.body !== null && 'backupReplacement' in first.body;
  if (!asked) return { result: first, said: answer(first) };
  if (!replaceBackup) return { result: first, said: `${answer(first)}; not confirmed` };
  const result = await system.sut.api.startDownload({ ...body, confirmReplaceBackup: true }, ADMIN, 'page');
  return { result, said: `${answer(first)}; confirmed: ${answer(result)}` };
}

/** Save & Download from the TFTP server: on the page (its form's body, now or at a time), or in the CLI (profile lines, then `ap image predownload`). */
export class Download extends ModelCommand {
  constructor(readonly choice: DownloadChoice) {
    super();
  }

  check(): boolean {
    return this.choice.inMs === undefined || this.choice.via === 'page';
  }

  protected async act(model: ModelState, system: ModelSystem): Promise<string> {
    const { sut } = system;
    if (this.choice.via === 'cli') {
      const lines = tftpLines(this.choice);
      system.name(lines.flatMap(cliLineFields));
      const typed = ['configure terminal', 'wireless profile image-download default', ...lines.map((line) => cliLine(line, system)), 'end', predownloadLine(this.choice.replaceBackup)];
      return cliAnswer(await sut.type(typed));
    }
    const edit = { mode: 'TFTP' as const, server: '127.0.0.1' as const, path: this.choice.path, port: 'tftp' as const, parallel: this.choice.parallel };
    const view = sut.api.getProfile().body as ImageDownloadProfileView;
    const parsed = pageBody(view, edit, system);
    if (!parsed.ok) return `not sent: the form shows ${show(parsed.errors)}`;
    system.name(namedFieldPaths(parsed.body, view.mode));
    const at = this.choice.inMs === undefined ? {} : { at: new Date(Date.now() + this.choice.inMs).toISOString() };
    const { result, said } = await pageDownload(system, { ...parsed.body, ...at }, this.choice.replaceBackup);
    const scheduled = (result.body as { scheduled?: number }).scheduled;
    if (typeof scheduled === 'number') model.schedules.push(scheduled);
    return said;
  }

  toString(): string {
    return `download(${show(this.choice)})`;
  }
}

/** Save & Download in CCO mode on the page, from the world's catalog: its recommended or latest release. */
export class CcoDownload extends ModelCommand {
  constructor(
    readonly release: 'recommended' | 'latest',
    readonly replaceBackup = false,
  ) {
    super();
  }

  protected async act(_model: ModelState, system: ModelSystem): Promise<string> {
    const { sut } = system;
    const view = sut.api.getProfile().body as ImageDownloadProfileView;
    const parsed = pageBody(view, { mode: 'CCO', catalog: 'world', ccoRelease: this.release }, system);
    if (!parsed.ok) return `not sent: the form shows ${show(parsed.errors)}`;
    system.name(namedFieldPaths(parsed.body, view.mode));
    return (await pageDownload(system, parsed.body, this.replaceBackup)).said;
  }

  toString(): string {
    return `ccoDownload(${show(this.release)}${this.replaceBackup ? ', true' : ''})`;
  }
}

/** `ap image predownload` alone: Save & Download with the profile as saved (`replace-backup` when the admin confirms the backup replacement). */
export class CliPredownload extends ModelCommand {
  constructor(readonly replaceBackup = false) {
    super();
  }

  protected async act(_model: ModelState, system: ModelSystem): Promise<string> {
    return cliAnswer(await system.sut.type([predownloadLine(this.replaceBackup)]));
  }

  toString(): string {
    return this.replaceBackup ? 'cliPredownload(true)' : 'cliPredownload()';
  }
}

/** Cancel on the page, or `ap image predownload abort`; the failed APs are counted just before, for the history's check. */
export class Cancel extends ModelCommand {
  constructor(readonly via: 'api' | 'cli') {
    super();
  }

  protected async act(_model: ModelState, system: ModelSystem): Promise<string> {
    const { sut } = system;
    await system.storeCaughtUp();
    // The count and the cancel in one turn, after the store's rows were read: nothing moves between them. Both
    // calls change the state before their first await.
    const cancelled = await sut.atOneInstant(
      () => sut.stored(),
      (stored) => {
        const { apImage, upgrade } = sut.read();
        const failed = apImage.aps.filter((row) => row.predownloadStatus === 'Failed' && stored.get(row.mac)?.upgradeId === upgrade.upgradeId).length;
        const done = this.via === 'api' ? sut.api.cancel(ADMIN).then(answer) : sut.type(['ap image predownload abort']).then(cliAnswer);
        if (upgrade.upgradeId !== null && sut.read().upgrade.stage === 'Cancelled') sut.failedWhenCancelled.set(upgrade.upgradeId, failed);
        return done;
      },
    );
    if (!cancelled) throw new Error('the console never held still while the store was read: no instant to count the failed APs and cancel');
    return cancelled;
  }

  toString(): string {
    return `cancel(${show(this.via)})`;
  }
}

/**
 * An admin trusts the unsigned bundle the upgrade holds: on the page (Trust and continue posts the files
 * and digests the panel shows) or with `ap image predownload approve`.
 */
export class ApproveBundle extends ModelCommand {
  constructor(readonly via: 'page' | 'cli') {
    super();
  }

  protected async act(_model: ModelState, system: ModelSystem): Promise<string> {
    const { sut } = system;
    if (this.via === 'cli') return cliAnswer(await sut.type(['ap image predownload approve']));
    const shown = sut.read().upgrade.bundleApproval;
    if (!shown) return 'nothing to trust: the panel shows no question';
    return answer(await sut.imageTrust.approveBundle({ files: shown.files.map(({ name, sha256 }) => ({ name, sha256 })) }, ADMIN));
  }

  toString(): string {
    return `approveBundle(${show(this.via)})`;
  }
}

export interface ActivateChoice {
  strategy: 'all' | 'rolling';
  waveSize?: number;
  via: 'api' | 'cli';
  /** Milliseconds from now: Activate at a time (the API only). */
  inMs?: number;
}

/** Activate: the page's (all at once or rolling, now or at a time), or the CLI's `ap image swap` then `ap image reset`. */
export class Activate extends ModelCommand {
  constructor(readonly choice: ActivateChoice) {
    super();
  }

  check(): boolean {
    return this.choice.via === 'api' || (this.choice.strategy === 'all' && this.choice.inMs === undefined);
  }

  protected async act(model: ModelState, system: ModelSystem): Promise<string> {
    const { sut } = system;
    if (this.choice.via === 'cli') return cliAnswer(await sut.type(['ap image swap', 'ap image reset']));
    const body = {
      strategy: this.choice.strategy,
      ...(this.choice.strategy === 'rolling' ? { waveSize: this.choice.waveSize ?? 1 } : {}),
      ...(this.choice.inMs === undefined ? {} : { at: new Date(Date.now() + this.choice.inMs).toISOString() }),
    };
    const result = await sut.api.activate(ADMIN, body);
    const scheduled = (result.body as { scheduled?: number }).scheduled;
    if (typeof scheduled === 'number') model.schedules.push(scheduled);
    return answer(result);
  }

  toString(): string {
    return `activate(${show(this.choice)})`;
  }
}

/** Pause, Resume or Abort of a rolling activation. */
export class Rollout extends ModelCommand {
  constructor(readonly action: 'pause' | 'resume' | 'abort') {
    super();
  }

  protected async act(_model: ModelState, system: ModelSystem): Promise<string> {
    return answer(await system.sut.api.maintenance.activation(this.action, ADMIN));
  }

  toString(): string {
    return `rollout(${show(this.action)})`;
  }
}

/** A button on one AP's row: Retry now, Abort, Exclude from activation, Include again. */
export class ApAction extends ModelCommand {
  constructor(
    readonly action: 'retry' | 'abort' | 'exclude' | 'include',
    readonly ap: number,
  ) {
    super();
  }

  protected async act(_model: ModelState, system: ModelSystem): Promise<string> {
    return answer(await system.sut.api.maintenance.apAction(MODEL_FLEET[this.ap].mac, this.action, ADMIN));
  }

  toString(): string {
    return `apAction(${show(this.action)}, ${this.ap})`;
  }
}

export const download = (choice: DownloadChoice) => new Download(choice);
export const ccoDownload = (release: 'recommended' | 'latest', replaceBackup = false) => new CcoDownload(release, replaceBackup);
export const cliPredownload = (replaceBackup = false) => new CliPredownload(replaceBackup);
export const cancel = (via: 'api' | 'cli') => new Cancel(via);
export const approveBundle = (via: 'page' | 'cli') => new ApproveBundle(via);
export const activate = (choice: ActivateChoice) => new Activate(choice);
export const rollout = (action: 'pause' | 'resume' | 'abort') => new Rollout(action);
export const apAction = (action: 'retry' | 'abort' | 'exclude' | 'include', ap: number) => new ApAction(action, ap);
