import { INITIAL_APS, MODEL_FLEET } from './modelWorld';

/**
 * What the model knows beside the console: which AP agents run, which ever joined, and the scheduled
 * actions made so far (by the order they were made, their ids as the console gave them). Commands
 * check it for what they need (an AP to lose, a schedule to move) and update it as they run.
 */
export class ModelState {
  readonly running: boolean[] = MODEL_FLEET.map((_, index) => index < INITIAL_APS);
  readonly joinedOnce: boolean[] = MODEL_FLEET.map((_, index) => index < INITIAL_APS);
  readonly schedules: number[] = [];

  toString(): string {
    const aps = MODEL_FLEET.map((ap, index) => `${ap.name}:${this.running[index] ? 'up' : this.joinedOnce[index] ? 'lost' : 'not joined'}`);
    return `APs ${aps.join(' ')}; schedules ${this.schedules.join(',') || 'none'}`;
  }
}
