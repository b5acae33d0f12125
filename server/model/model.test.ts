import fc from 'fast-check';
import { afterAll, beforeAll, describe, it } from 'vitest';
import { checkModel } from './modelRun';
import { startModelWorld, type ModelWorld } from './modelWorld';

// The short form of the model-based test (the long one: `npm run bench:model`). Random sequences of the
// console's commands against a real console, real AP agents and tftpd-hpa; every invariant of
// lib/invariants after every step. One fixed seed, then a few random ones, each printed on failure:
// `MODEL_SEED=S MODEL_PATH=P npx vitest run server/model/model.test.ts` replays one.
const FIXED_SEED = 18;
const RANDOM_SEEDS = 2;
const RUNS_PER_SEED = 6;
const MAX_COMMANDS = 25;

let world: ModelWorld;
beforeAll(async () => {
  world = await startModelWorld();
});
afterAll(async () => {
  await world?.stop();
});

async function holds(seed: number, path?: string): Promise<void> {
  const { details } = await checkModel(world, { seed, path, numRuns: path ? 1 : RUNS_PER_SEED, maxCommands: MAX_COMMANDS, shrink: false });
  if (details.failed) {
    const error = details.errorInstance instanceof Error ? details.errorInstance.message : String(details.errorInstance);
    throw new Error(`${fc.defaultReportMessage(details)}\nReplay: MODEL_SEED=${details.seed} MODEL_PATH=${details.counterexamplePath} npx vitest run server/model/model.test.ts\n${error}`);
  }
}

describe('the console under random command sequences', () => {
  it('keeps every invariant after every step', { timeout: 240_000 }, async () => {
    if (process.env.MODEL_SEED) return holds(Number(process.env.MODEL_SEED), process.env.MODEL_PATH);
    const seeds = [FIXED_SEED, ...Array.from({ length: RANDOM_SEEDS }, () => Math.floor(Math.random() * 1_000_000))];
    for (const seed of seeds) await holds(seed);
  });
});
