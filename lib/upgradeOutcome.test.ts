import { describe, expect, it } from 'vitest';
import { backupReplacementOf, describeBackupReplacement } from './backupReplacement';
import { planRetry, retryNote } from './predownloadStatus';
import { englishOf } from './serverSentences';
import { countUpgradeAps, networkCompletedSentence, upgradeResultText, type VersionedAp } from './upgradeOutcome';

const ap = (predownloadStatus: VersionedAp['predownloadStatus'], primaryImage: string, upgradeId: number | null = 7): VersionedAp => ({ predownloadStatus, primaryImage, upgradeId });

describe("an upgrade's outcome", () => {
  it('says "Completed" and "run X" only of the APs of the upgrade that run X', () => {
    const fleet = [
      ap('Joined', '17.18.1.2'),
      ap('Joined', '17.18.1.2'),
      ap('Joined', '17.18.1.2'),
      ap('Joined', '17.18.1.2'),
      ap('NotSupported', '17.12.1.5'),
      ap('NotSupported', '17.12.1.5'),
      ap('None', '17.9.4.27', null),
      ap('Joined', '17.18.1.2', 6),
    ];
    const counts = countUpgradeAps(fleet, { id: 7, targetVersion: '17.18.1.2' });
    expect(counts).toMatchObject({ total: 6, joined: 4, notSupported: 2, runningTarget: 4 });
    expect(englishOf(networkCompletedSentence(counts, '17.18.1.2', '17.18.1.2'))).toBe('4 of 6 APs run 17.18.1.2; 2 not supported by the release still run 17.12.1.5; controller running 17.18.1.2');
    expect(upgradeResultText('Completed', counts, null)).toBe('Completed on 4 of 6 APs');
    const all = countUpgradeAps([ap('Joined', '17.18.1.2')], { id: 7, targetVersion: '17.18.1.2' });
    expect(englishOf(networkCompletedSentence(all, '17.18.1.2', '17.18.1.1'))).toBe('1 of 1 AP runs 17.18.1.2; controller running 17.18.1.1');
    expect(upgradeResultText('Completed', all, null)).toBe('Completed');
  });

  it('names the upgrade that superseded one', () => {
    expect(upgradeResultText('Superseded', null, 9)).toBe('Superseded by upgrade 9');
    expect(upgradeResultText('Cancelled', null, null)).toBe('Cancelled');
  });
});

describe('predownloading the version an AP runs', () => {
  const aps = [
    { name: 'AP-2', mac: 'b', primaryImage: '17.12.1.5', backupImage: '17.3.3.26' },
    { name: 'AP-1', mac: 'a', primaryImage: '17.12.1.5', backupImage: '17.9.4.27' },
    { name: 'AP-3', mac: 'c', primaryImage: '17.9.4.27', backupImage: '17.12.1.5' },
    { name: 'AP-4', mac: 'd', primaryImage: '17.12.1.5', backupImage: '17.12.1.5' },
  ];
  it('costs the backup image of the APs that run it and hold another version', () => {
    const replacement = backupReplacementOf(aps, '17.12.1.5')!;
    expect(replacement).toEqual({
      version: '17.12.1.5',
      count: 2,
      aps: [
        { name: 'AP-1', mac: 'a', backupImage: '17.9.4.27' },
        { name: 'AP-2', mac: 'b', backupImage: '17.3.3.26' },
      ],
    });
    expect(describeBackupReplacement(replacement)).toMatch(/^2 AP\(s\) already run 17\.12\.1\.5: .*\(AP-1 loses 17\.9\.4\.27, AP-2 loses 17\.3\.3\.26\)/);
    expect(backupReplacementOf(aps, '17.18.1.2')).toBeNull();
  });
});

describe('a failed AP retry', () => {
  const policy = { maxRetries: 2, baseDelayMs: 1000 };
  it('is counted from the moment it is scheduled, with the time the log line gives', () => {
    const first = planRetry(0, true, policy, 0)!;
    expect(first).toEqual({ retryCount: 1, nextRetryTime: new Date(1000).toISOString(), delayMs: 1000 });
    expect(retryNote(first, policy)).toBe(` (retry 1 of 2 at ${new Date(1000).toISOString()})`);
    expect(planRetry(1, true, policy, 0)).toMatchObject({ retryCount: 2, delayMs: 2000 });
    expect(planRetry(2, true, policy, 0)).toBeNull();
    expect(planRetry(0, false, policy, 0)).toBeNull();
    expect(retryNote(null, policy)).toBe('');
  });
});
