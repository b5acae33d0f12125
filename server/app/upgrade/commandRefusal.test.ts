import { describe, expect, it } from 'vitest';
import { ApActions, type ApActionsDeps } from '../../orchestrator/apActions';
import { UpgradeCommands, type UpgradeCommandsDeps } from '../../orchestrator/upgradeCommands';
import { refusalResult } from '../../http/domainResult';
import { commandRefusal } from './commandRefusal';

/** The refusal a command throws, as the API answers it. */
function answered(command: () => unknown) {
  try {
    command();
  } catch (error) {
    return refusalResult(commandRefusal(error).error);
  }
  throw new Error('the command was not refused');
}

// A fleet with no AP and no upgrade: the seam is the repositories, the commands are the real ones.
const noAps = { get: () => undefined } as unknown as ApActionsDeps['aps'];
const apActions = new ApActions({ aps: noAps, run: () => null } as unknown as ApActionsDeps);
const commands = new UpgradeCommands({ aps: noAps, upgrades: { latest: () => null }, run: () => null, apActions } as unknown as UpgradeCommandsDeps);

// Scripts and the CLI read `error` word for word as before; the page says `code` (with `params`) in its language.
describe('an upgrade command refused by the upgrade state', () => {
  it('answers its English unchanged, then its sentence code', () => {
    expect(answered(() => commands.activateNow({ strategy: 'all' } as never, 'admin'))).toEqual({
      status: 409,
      body: { error: 'Activate is possible once every AP has completed its predownload.', code: 'activateNotReady' },
    });
    expect(answered(() => commands.cancelNow())).toEqual({ status: 409, body: { error: 'No predownload is in progress.', code: 'noPredownloadInProgress' } });
  });

  it('names the AP it refused for in the parameters', () => {
    const body = answered(() => apActions.abort('0a00.0000.0001'));
    expect(body).toEqual({ status: 404, body: { error: 'No AP 0a00.0000.0001.', code: 'noSuchAp', params: { mac: '0a00.0000.0001' } } });
    expect(Object.keys(body.body as object)).toEqual(['error', 'code', 'params']);
  });

  it('says why the activation cannot pause', () => {
    expect(answered(() => commands.activationNow('pause', {}))).toEqual({ status: 409, body: { error: 'No activation is in progress.', code: 'noActivationInProgress' } });
  });
});
