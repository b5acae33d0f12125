import fc from 'fast-check';
import type { ModelCommand } from './commands/modelCommand';
import { activate, apAction, approveBundle, cancel, ccoDownload, cliPredownload, download, rollout } from './commands/upgradeCommands';
import { apJoin, apJoinOn, apLoss, apRejoin, apReload, restart, settle, watch } from './commands/fleetCommands';
import { cliSave, pageSave } from './commands/profileCommands';
import { cancelSchedule, moveSchedule } from './commands/scheduleCommands';
import { ModelConsole } from './modelConsole';
import { ModelState } from './modelState';
import { ModelSystem, type Overlook } from './modelSystem';
import { MODEL_FLEET, type ModelWorld } from './modelWorld';

/** Every command, by the name its `toString()` calls it: a shrunk sequence pastes into `[commands.cliSave([…]), …]`. */
export const commands = {
  pageSave,
  cliSave,
  download,
  ccoDownload,
  cliPredownload,
  approveBundle,
  cancel,
  activate,
  rollout,
  apAction,
  moveSchedule,
  cancelSchedule,
  apJoin,
  apLoss,
  apRejoin,
  apReload,
  apJoinOn,
  restart,
  settle,
  watch,
};

const ap = fc.integer({ min: 0, max: MODEL_FLEET.length - 1 });
// The fleet's own release (4) twice as often as each other bundle: a profile that names it is what a download at join succeeds from.
const path = fc.oneof({ arbitrary: fc.constantFrom(0, 1, 2, 3), weight: 4 }, { arbitrary: fc.constant(4), weight: 2 }, { arbitrary: fc.constant('missing' as const), weight: 1 });
const soon = fc.integer({ min: 50, max: 600 });

const cliLine = fc.oneof(
  fc.constantFrom('image-download-mode tftp', 'image-download-mode sftp'),
  fc.constantFrom('tftp-image-server 127.0.0.1', 'tftp-image-server 127.0.0.2', 'sftp-image-server 127.0.0.1', 'sftp-image-server 127.0.0.2'),
  fc.constantFrom('tftp-image-path /EWC/17_12_1_5', 'tftp-image-path /EWC/17_9_4_27', 'tftp-image-path /Wrong-Path', 'sftp-image-path EWC/17_15_2_3'),
  fc.constantFrom('tftp-image-port {tftpPort}', 'tftp-image-port {closedPort}', 'no tftp-image-port', 'sftp-image-port {closedPort}', 'no sftp-image-port'),
  fc.constantFrom('sftp-username calo', 'sftp-username ewc', 'sftp-password 0 Secret-pass-1'),
  fc.constantFrom('parallel-mode', 'no parallel-mode'),
);

const pageEdit = fc.record(
  {
    mode: fc.constantFrom('TFTP' as const, 'SFTP' as const, 'CCO' as const, 'DESKTOP' as const),
    server: fc.constantFrom('127.0.0.1' as const, '127.0.0.2' as const),
    path,
    port: fc.constantFrom('tftp' as const, 'closed' as const, 69, 22),
    parallel: fc.boolean(),
    sftpUser: fc.constantFrom('calo', 'ewc'),
    sftpPassword: fc.constantFrom('Secret-pass-1', ''),
    ccoUser: fc.constantFrom('ewc-demo', 'noc'),
    ccoRelease: fc.constantFrom('recommended' as const, 'latest' as const),
    catalog: fc.constantFrom('world' as const, 'closed' as const),
    desktopVersion: fc.constant('17.12.1.5'),
  },
  { requiredKeys: ['mode'] },
);

/** The commands a random sequence is drawn from, weighted towards what moves an upgrade along. */
export function commandArbitraries(): fc.Arbitrary<ModelCommand>[] {
  const weighted: [fc.Arbitrary<ModelCommand>, number][] = [
    [fc.record({ path, parallel: fc.boolean(), via: fc.constantFrom('page' as const, 'cli' as const), replaceBackup: fc.boolean() }).map(download), 5],
    [fc.record({ path, parallel: fc.boolean(), via: fc.constant('page' as const), inMs: soon }).map(download), 1],
    [fc.boolean().map(cliPredownload), 1],
    [fc.tuple(fc.constantFrom('recommended' as const, 'latest' as const), fc.boolean()).map(([release, replaceBackup]) => ccoDownload(release, replaceBackup)), 2],
    [fc.constantFrom('page' as const, 'cli' as const).map(approveBundle), 3],
    [fc.constant(null).map(settle), 3],
    [fc.constant(null).map(watch), 3],
    [fc.record({ strategy: fc.constantFrom('all' as const, 'rolling' as const), waveSize: fc.constantFrom(1, 2), via: fc.constantFrom('api' as const, 'cli' as const) }).map(activate), 3],
    [fc.record({ strategy: fc.constantFrom('all' as const, 'rolling' as const), waveSize: fc.constantFrom(1, 2), via: fc.constant('api' as const), inMs: soon }).map(activate), 1],
    [pageEdit.map(pageSave), 2],
    [fc.array(cliLine, { minLength: 1, maxLength: 4 }).map(cliSave), 2],
    [fc.constantFrom('api' as const, 'cli' as const).map(cancel), 2],
    [fc.tuple(fc.constantFrom('retry' as const, 'abort' as const, 'exclude' as const, 'include' as const), ap).map(([action, index]) => apAction(action, index)), 2],
    [fc.constantFrom('pause' as const, 'resume' as const, 'abort' as const).map(rollout), 1],
    [fc.tuple(fc.nat(2), soon).map(([index, inMs]) => moveSchedule(index, inMs)), 1],
    [fc.nat(2).map(cancelSchedule), 1],
    [ap.map(apJoin), 1],
    [ap.map(apLoss), 1],
    [ap.map(apRejoin), 1],
    [ap.map(apReload), 1],
    [fc.tuple(fc.integer({ min: 1, max: MODEL_FLEET.length - 1 }), fc.constantFrom('17.3.3.26', '17.12.1.5')).map(([index, version]) => apJoinOn(index, version)), 2],
    [fc.boolean().map(restart), 1],
  ];
  // fast-check draws each command from the list evenly: a weight is that many entries.
  return weighted.flatMap(([arbitrary, weight]) => Array.from({ length: weight }, () => arbitrary));
}

export interface SequenceOptions {
  /** Violations to look past (a known defect, while looking for others); none in the model test. */
  overlooked?: Overlook;
  /** Each AP's link speed; 0 (unthrottled) unless a test needs a transfer to last. */
  linkKbps?: number;
  /** Counts what the sequence reached (the bench prints it): downloads at join started and how they ended. */
  reach?: JoinReach;
}

/** How many downloads at join the sequences started, and how those ended (a sequence that never reaches them proves little of them). */
export type JoinReach = Record<'started' | 'delivered' | 'failed' | 'retriedNow' | 'refused', number>;

const REACHED: [keyof JoinReach, RegExp][] = [
  ['started', /Image Download at join: /],
  ['delivered', /Mac: \S+ Image Download Success: /],
  ['failed', /Mac: \S+ Image Download Failed: /],
  ['retriedNow', /Image Download retried now by the administrator/],
  ['refused', /No image download at join: /],
];

export const emptyReach = (): JoinReach => ({ started: 0, delivered: 0, failed: 0, retriedNow: 0, refused: 0 });

/** Runs one sequence on a fresh console (its own data folder) and fresh AP agents; throws at the first step that breaks an invariant. Answers the steps run. */
export async function runSequence(world: ModelWorld, sequence: Iterable<fc.AsyncCommand<ModelState, ModelSystem>>, options: SequenceOptions = {}): Promise<number> {
  const opened: { sut: ModelConsole | null; system: ModelSystem | null } = { sut: null, system: null };
  try {
    await fc.asyncModelRun(async () => {
      opened.sut = await ModelConsole.start(world, options.linkKbps);
      opened.system = new ModelSystem(opened.sut, options.overlooked);
      return { model: new ModelState(), real: opened.system };
    }, sequence);
  } finally {
    if (options.reach && opened.sut) {
      for (const line of opened.sut.syslog()) for (const [key, pattern] of REACHED) if (pattern.test(line.text)) options.reach[key] += 1;
    }
    await opened.sut?.dispose();
  }
  return opened.system?.steps.length ?? 0;
}

export interface ModelCheckOptions {
  seed?: number;
  /** fast-check's path of a failure to replay, with its seed. */
  path?: string;
  numRuns: number;
  maxCommands: number;
  /** Shrink a failing sequence to a short one (the bench); the test stops at the first failure instead. */
  shrink: boolean;
  overlooked?: Overlook;
  reach?: JoinReach;
}

/** Random sequences against the world's console: fast-check's details, and how many commands ran in all. */
export async function checkModel(world: ModelWorld, options: ModelCheckOptions): Promise<{ details: fc.RunDetails<[Iterable<fc.AsyncCommand<ModelState, ModelSystem>>]>; commandsRun: number }> {
  let commandsRun = 0;
  const property = fc.asyncProperty(fc.commands(commandArbitraries(), { maxCommands: options.maxCommands, size: '+1' }), async (sequence) => {
    commandsRun += await runSequence(world, sequence, { overlooked: options.overlooked, reach: options.reach });
  });
  const details = await fc.check(property, {
    numRuns: options.numRuns,
    ...(options.seed !== undefined ? { seed: options.seed } : {}),
    ...(options.path !== undefined ? { path: options.path } : {}),
    endOnFailure: !options.shrink,
  });
  return { details, commandsRun };
}
