import { ADMIN } from '../../sim/testing/consoleHarness';
import type { ModelState } from '../modelState';
import type { ModelSystem } from '../modelSystem';
import { answer, ModelCommand } from './modelCommand';

/** Moves the `index`-th scheduled action made in this run to `inMs` from now. */
export class MoveSchedule extends ModelCommand {
  constructor(
    readonly index: number,
    readonly inMs: number,
  ) {
    super();
  }

  check(model: Readonly<ModelState>): boolean {
    return this.index < model.schedules.length;
  }

  protected async act(model: ModelState, system: ModelSystem): Promise<string> {
    const at = new Date(Date.now() + this.inMs).toISOString();
    return answer(await system.sut.api.maintenance.changeSchedule(String(model.schedules[this.index]), { at }, ADMIN));
  }

  toString(): string {
    return `moveSchedule(${this.index}, ${this.inMs})`;
  }
}

/** Cancels the `index`-th scheduled action made in this run. */
export class CancelSchedule extends ModelCommand {
  constructor(readonly index: number) {
    super();
  }

  check(model: Readonly<ModelState>): boolean {
    return this.index < model.schedules.length;
  }

  protected async act(model: ModelState, system: ModelSystem): Promise<string> {
    return answer(await system.sut.api.maintenance.cancelSchedule(String(model.schedules[this.index]), ADMIN));
  }

  toString(): string {
    return `cancelSchedule(${this.index})`;
  }
}

export const moveSchedule = (index: number, inMs: number) => new MoveSchedule(index, inMs);
export const cancelSchedule = (index: number) => new CancelSchedule(index);
