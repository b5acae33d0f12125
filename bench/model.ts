import { parseArgs } from 'node:util';
import { INVARIANTS, type InvariantName, type Violation } from '../lib/invariants';
import { checkModel, emptyReach } from '../server/model/modelRun';
import { startModelWorld } from '../server/model/modelWorld';

// `npm run bench:model -- --runs N --seed S`: the long form of the model-based test (server/model/):
// N random command sequences against a real console, real AP agents and tftpd-hpa, every invariant of
// lib/invariants checked after every step; a failing sequence is shrunk and printed, ready to paste into a
// regression test. `--path P` with the seed replays one failure; `--ignore rule,rule:regex` looks past known
// defects (a rule's violations, or those whose message matches the regular expression).
const { values } = parseArgs({
  options: {
    runs: { type: 'string', default: '50' },
    seed: { type: 'string', default: String(Date.now() % 1_000_000) },
    path: { type: 'string' },
    'max-commands': { type: 'string', default: '30' },
    ignore: { type: 'string', default: '' },
    'no-shrink': { type: 'boolean', default: false },
  },
});

const ignored = values.ignore
  .split(',')
  .filter(Boolean)
  .map((item) => {
    const [name, ...pattern] = item.split(':');
    if (!(name in INVARIANTS)) throw new Error(`--ignore ${name}: no such invariant (${Object.keys(INVARIANTS).join(', ')})`);
    return { name: name as InvariantName, pattern: pattern.length > 0 ? new RegExp(pattern.join(':')) : null };
  });
const overlooked = (violation: Violation) => ignored.some(({ name, pattern }) => violation.invariant === name && (!pattern || pattern.test(violation.message)));
const seed = Number(values.seed);
console.log(`seed ${seed}, ${values.runs} runs of up to ${values['max-commands']} commands${ignored.length ? `; NOT checking ${values.ignore}` : ''}`);

const world = await startModelWorld();
const started = Date.now();
const reach = emptyReach();
const { details, commandsRun } = await checkModel(world, {
  reach,
  numRuns: Number(values.runs),
  seed,
  path: values.path,
  maxCommands: Number(values['max-commands']),
  shrink: !values['no-shrink'],
  overlooked,
});
await world.stop();

const seconds = ((Date.now() - started) / 1000).toFixed(1);
console.log(`${details.numRuns} run(s), ${commandsRun} commands run (shrinking included) in ${seconds} s`);
console.log(
  `downloads at join: ${reach.started} started, ${reach.delivered} delivered (the AP reloads into it), ${reach.failed} failed attempts, ${reach.retriedNow} retried now; ${reach.refused} joins refused with a reason`,
);
if (!details.failed) {
  console.log('PASS: every invariant held after every step');
  process.exit(0);
}
console.log(`\nFAIL (seed ${details.seed}, path "${details.counterexamplePath}", shrunk ${details.numShrinks} time(s))`);
console.log('Replay: npm run bench:model -- --runs 1 --seed', details.seed, '--path', `"${details.counterexamplePath}"`);
console.log(`\nShrunk sequence:\n  ${String(details.counterexample?.[0])}`);
console.log(`\n${details.errorInstance instanceof Error ? details.errorInstance.message : String(details.errorInstance)}`);
process.exit(1);
