import { describe, expect, it } from 'vitest';
import { UPGRADE_STAGES, isUpgradeBusy, upgradeBusyMessage, upgradeStateOf } from './upgradeStage';

describe('when an upgrade holds the fleet', () => {
  it('is busy while transfers run or the network reloads, and may be replaced once finished or waiting at Activate', () => {
    const busy = UPGRADE_STAGES.filter(isUpgradeBusy);
    expect(busy).toEqual(['Initiate', 'ControllerImageDownload', 'APImageDownload', 'NetworkUpgrade', 'Reload']);
    // The page reads the coarse state: the same stages are "running" or "reloading" there.
    for (const stage of UPGRADE_STAGES) expect(isUpgradeBusy(stage), stage).toBe(['running', 'reloading'].includes(upgradeStateOf(stage)));
  });

  it('says which stage holds it, in the stage bar words', () => {
    expect(upgradeBusyMessage('APImageDownload')).toBe('An upgrade is already in progress (stage AP Image Download). Cancel it or wait for it to finish.');
  });
});
