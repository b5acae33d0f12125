import { hasEnded } from '../../../lib/invariants';
import { isCancellable } from '../../../lib/upgradeStage';
import type { ModelState } from '../modelState';
import type { ModelSystem } from '../modelSystem';
import { MODEL_FLEET } from '../modelWorld';
import { ModelCommand, show } from './modelCommand';

/** An AP joins the controller for the first time (it enrols, then joins over mutual TLS). */
export class ApJoin extends ModelCommand {
  constructor(readonly ap: number) {
    super();
  }

  check(model: Readonly<ModelState>): boolean {
    return !model.joinedOnce[this.ap];
  }

  protected async act(model: ModelState, system: ModelSystem): Promise<string> {
    model.joinedOnce[this.ap] = true;
    model.running[this.ap] = true;
    await system.sut.startAgent(this.ap);
    return `${MODEL_FLEET[this.ap].name} joined`;
  }

  toString(): string {
    return `apJoin(${this.ap})`;
  }
}

/** An AP is lost (power, cable): its agent stops and its connection drops, mid-transfer or not. */
export class ApLoss extends ModelCommand {
  constructor(readonly ap: number) {
    super();
  }

  check(model: Readonly<ModelState>): boolean {
    return model.running[this.ap];
  }

  protected async act(model: ModelState, system: ModelSystem): Promise<string> {
    model.running[this.ap] = false;
    await system.sut.stopAgent(this.ap);
    return `${MODEL_FLEET[this.ap].name} lost`;
  }

  toString(): string {
    return `apLoss(${this.ap})`;
  }
}

/** A lost AP comes back, with the images (and partial files) it held. */
export class ApRejoin extends ModelCommand {
  constructor(readonly ap: number) {
    super();
  }

  check(model: Readonly<ModelState>): boolean {
    return model.joinedOnce[this.ap] && !model.running[this.ap];
  }

  protected async act(model: ModelState, system: ModelSystem): Promise<string> {
    model.running[this.ap] = true;
    await system.sut.startAgent(this.ap);
    return `${MODEL_FLEET[this.ap].name} back`;
  }

  toString(): string {
    return `apRejoin(${this.ap})`;
  }
}

/** An AP reloads on its own (not an activation): it drops, boots the image it ran, and joins again. */
export class ApReload extends ModelCommand {
  constructor(readonly ap: number) {
    super();
  }

  check(model: Readonly<ModelState>): boolean {
    return model.running[this.ap];
  }

  protected async act(_model: ModelState, system: ModelSystem): Promise<string> {
    await system.sut.stopAgent(this.ap);
    await system.sut.startAgent(this.ap);
    return `${MODEL_FLEET[this.ap].name} reloaded`;
  }

  toString(): string {
    return `apReload(${this.ap})`;
  }
}

/**
 * An AP joins running a release of the test's choosing: the first time, back after a loss, or reloading into
 * it (re-imaged in the field, or a spare that ran it swapped in), as `npm run fleet -- --version V` starts one.
 * Running another AP image than the controller's, with a profile saved, it is given the controller's version
 * at join: the step waits for the console to rest, then holds the outcome to the joinDownload rule.
 */
export class ApJoinOn extends ModelCommand {
  protected readonly rest = true;

  constructor(
    readonly ap: number,
    readonly version: string,
  ) {
    super();
  }

  check(): boolean {
    // The AP hosting the controller is the controller: its version is the one joiners are compared with.
    return !MODEL_FLEET[this.ap].hostsController;
  }

  protected async act(model: ModelState, system: ModelSystem): Promise<string> {
    const { name, mac } = MODEL_FLEET[this.ap];
    // The database first, then the API in the same turn as the expectation is kept (each await is I/O on PostgreSQL).
    const profileSaved = await system.sut.profileSaved();
    const { apImage, upgrade } = system.sut.read();
    system.expectJoin({
      name,
      ran: this.version,
      controllerVersion: apImage.aps.find((row) => row.hostsController)?.primaryImage ?? null,
      profileSaved,
      predownloadUnderWay: isCancellable(upgrade.stage),
      wasReloading: apImage.aps.find((row) => row.mac === mac)?.predownloadStatus === 'Reloading',
      upgradeEnded: hasEnded(upgrade.stage),
      upgradeAtJoin: upgrade.upgradeId,
    });
    model.joinedOnce[this.ap] = true;
    model.running[this.ap] = true;
    await system.sut.startAgentOn(this.ap, this.version);
    return `${name} joined running ${this.version}`;
  }

  toString(): string {
    return `apJoinOn(${this.ap}, ${show(this.version)})`;
  }
}

/** The controller restarts on the same data folder and ports: gracefully (SIGTERM), or closed with no notice. */
export class Restart extends ModelCommand {
  constructor(readonly graceful: boolean) {
    super();
  }

  protected async act(_model: ModelState, system: ModelSystem): Promise<string> {
    await system.sut.restart(this.graceful);
    return 'restarted';
  }

  toString(): string {
    return `restart(${this.graceful})`;
  }
}

/** Time passes until the upgrade rests (nothing predownloading or reloading, no action due): then the page is checked too. */
export class Settle extends ModelCommand {
  protected readonly rest = true;

  protected async act(): Promise<string> {
    return '';
  }

  toString(): string {
    return 'settle()';
  }
}

export const apJoin = (ap: number) => new ApJoin(ap);
export const apLoss = (ap: number) => new ApLoss(ap);
export const apRejoin = (ap: number) => new ApRejoin(ap);
export const apReload = (ap: number) => new ApReload(ap);
export const apJoinOn = (ap: number, version: string) => new ApJoinOn(ap, version);
export const restart = (graceful: boolean) => new Restart(graceful);
export const settle = () => new Settle();

/** Time passes with the checker looking at every turn of the event loop, until the upgrade rests. */
export class Watch extends ModelCommand {
  async run(_model: ModelState, system: ModelSystem): Promise<void> {
    await system.watch(String(this));
  }

  protected async act(): Promise<string> {
    return '';
  }

  toString(): string {
    return 'watch()';
  }
}

export const watch = () => new Watch();
