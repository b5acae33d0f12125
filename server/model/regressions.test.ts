import { afterAll, beforeAll, describe, it } from 'vitest';
import type fc from 'fast-check';
import type { InvariantName } from '../../lib/invariants';
import { commands as c, runSequence } from './modelRun';
import type { ModelState } from './modelState';
import type { ModelSystem } from './modelSystem';
import { startModelWorld, type ModelWorld } from './modelWorld';

// Sequences the model-based test found and shrank, replayed as they were, each held to the one rule it
// broke (the model test holds every sequence to every rule).
let world: ModelWorld;
beforeAll(async () => {
  world = await startModelWorld();
});
afterAll(async () => {
  await world?.stop();
});

/** Runs the sequence on a fresh console and fleet, checking `rule` after every step; throws when it breaks. */
function holds(rule: InvariantName, sequence: fc.AsyncCommand<ModelState, ModelSystem>[], linkKbps = 0): Promise<number> {
  return runSequence(world, sequence, { overlooked: (violation) => violation.invariant !== rule, linkKbps });
}

describe('sequences the model found', () => {
  it('predownloadInProgress: "Predownload in progress" is Yes right after Save & Download', async () => {
    await holds('predownloadInProgress', [c.download({ path: 0, parallel: false, via: 'cli' })]);
  });

  it('countersAddUp: an AP receiving its image is counted once', async () => {
    // A slow link keeps the APs Predownloading long enough for every look to see them so.
    await holds('countersAddUp', [c.download({ path: 0, parallel: false, via: 'page' }), c.watch()], 64);
  });

  it('profileFieldsNamed: a CLI save of TFTP lines keeps the CCO settings', async () => {
    await holds('profileFieldsNamed', [
      c.pageSave({ mode: 'CCO', catalog: 'closed', ccoUser: 'ewc-demo' }),
      c.cliSave(['image-download-mode tftp', 'tftp-image-server 127.0.0.1', 'tftp-image-path /EWC/17_12_1_5']),
    ]);
  });

  it('profileFieldsNamed: ap image predownload keeps the CCO settings', async () => {
    await holds('profileFieldsNamed', [
      c.pageSave({ mode: 'CCO', catalog: 'closed', ccoUser: 'ewc-demo' }),
      c.pageSave({ mode: 'TFTP', server: '127.0.0.1', path: 0, port: 'tftp' }),
      c.cliPredownload(),
    ]);
  });

  it('profileFieldsNamed: the SFTP server, path and port are not the TFTP ones', async () => {
    await holds('profileFieldsNamed', [
      c.pageSave({ mode: 'TFTP', server: '127.0.0.1', path: 0, port: 'tftp' }),
      c.cliSave(['image-download-mode sftp', 'sftp-image-server 127.0.0.2', 'sftp-image-path EWC/17_15_2_3', 'sftp-username calo', 'sftp-password 0 Secret-pass-1']),
      c.cliSave(['image-download-mode tftp']),
    ]);
  });

  it("surfacesAgree: a retried AP's Retry Count, Next Retry Time and the failure line announcing the retry agree", async () => {
    // The bundle lacks AP-1815's image: its AP fails and is retried, while the checker looks at every turn.
    await holds('surfacesAgree', [c.download({ path: 3, parallel: false, via: 'page' }), c.settle(), c.approveBundle('page'), c.watch()]);
  });

  it('historyAgrees: an upgrade replaced while it waited at Activate ends', async () => {
    await holds('historyAgrees', [c.download({ path: 0, parallel: false, via: 'cli' }), c.settle(), c.download({ path: 1, parallel: false, via: 'page' })]);
  });

  it('historyAgrees: a predownload that failed counts its failed APs', async () => {
    await holds('historyAgrees', [c.download({ path: 'missing', parallel: true, via: 'page' }), c.settle()]);
  });

  it('runningClaims: "Completed" and "N of M APs run X" are not said of an excluded AP that runs its old version', async () => {
    await holds('runningClaims', [c.download({ path: 0, parallel: true, via: 'page' }), c.settle(), c.apAction('exclude', 0), c.activate({ strategy: 'all', via: 'api' }), c.settle()]);
  });

  it('controllerVersion: an activation that leaves out the AP hosting the controller (excluded) does not say the controller runs the new version', async () => {
    await holds('controllerVersion', [c.download({ path: 0, parallel: true, via: 'page' }), c.settle(), c.apAction('exclude', 0), c.activate({ strategy: 'all', via: 'api' }), c.settle()]);
  });

  it('runningClaims: a CCO release without some image types is not "Completed", nor run by the APs it lacks', async () => {
    await holds('runningClaims', [c.ccoDownload('recommended'), c.settle(), c.activate({ strategy: 'all', via: 'api' }), c.settle()]);
  });

  it('runningClaims: "Activation aborted: N AP(s) run X" counts the APs that run X, also those that ran it before the activation', async () => {
    // The fleet's own release predownloaded again (backup images replaced, as confirmed), then an activation aborted mid-way.
    await holds('runningClaims', [
      c.download({ path: 4, parallel: false, via: 'page', replaceBackup: true }),
      c.settle(),
      c.activate({ strategy: 'all', waveSize: 1, via: 'api' }),
      c.apReload(0),
      c.rollout('abort'),
    ]);
  });

  it('historyAgrees, joinDownload: an AP re-imaged during an activation leaves the upgrade as it ends, and is given the controller new version', async () => {
    const sequence = () => [
      c.download({ path: 0, parallel: false, via: 'page', replaceBackup: false }),
      c.watch(),
      c.activate({ strategy: 'all', waveSize: 1, via: 'api' }),
      c.apJoinOn(1, '17.3.3.26'),
    ];
    await holds('historyAgrees', sequence());
    await holds('joinDownload', sequence());
  });

  it('verifyClaims: a catalog release, vouched for by an admin\'s trust of its SHA-256, is never "Image signing verify success"', async () => {
    await holds('verifyClaims', [c.ccoDownload('latest'), c.settle(), c.approveBundle('page'), c.settle()]);
  });

  it('joinDownload: an AP of an upgrade that ended, back on another release, is given the controller version at join', async () => {
    // Upgrade 1 failed at once (wrong path): its APs are history. One comes back re-imaged on 17.3.3.26.
    await holds('joinDownload', [c.download({ path: 'missing', parallel: false, via: 'page', replaceBackup: false }), c.apJoinOn(1, '17.3.3.26')]);
  });

  it('historyAgrees: an AP of an upgrade that ended comes back on another release; the history keeps what was so when it ended', async () => {
    await holds('historyAgrees', [c.download({ path: 'missing', parallel: false, via: 'page', replaceBackup: false }), c.apJoinOn(1, '17.3.3.26')]);
  });

  it('verifyClaims: an unsigned bundle is never "Image signing verify success"', async () => {
    await holds('verifyClaims', [c.download({ path: 2, parallel: true, via: 'page' }), c.settle(), c.approveBundle('cli'), c.settle()]);
  });
});
