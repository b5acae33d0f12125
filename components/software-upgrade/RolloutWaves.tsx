import { Alert } from '@/components/ui/Alert';
import { Badge, type BadgeTone } from '@/components/ui/Badge';
import { Button } from '@/components/ui/Button';
import type { ScheduledView, WaveView } from '@/lib/rollout';
import type { UpgradeView } from '@/lib/upgradeStage';
import { bothZones } from '@/lib/dateTime';

const WAVE_TONE: Record<WaveView['state'], BadgeTone> = { pending: 'neutral', reloading: 'info', done: 'success' };
const MEMBER_TONE: Record<string, BadgeTone> = { Reloading: 'info', Joined: 'success', Failed: 'danger' };

function nextWaveText(upgrade: UpgradeView): string | null {
  const rollout = upgrade.rollout;
  if (!rollout || upgrade.stage !== 'Reload') return null;
  const next = upgrade.waves.find((wave) => wave.state === 'pending');
  if (!next) return null;
  if (rollout.state === 'paused') return `Wave ${next.index + 1} waits for Resume`;
  const current = upgrade.waves.find((wave) => wave.state === 'reloading');
  return current ? `Wave ${next.index + 1} starts when wave ${current.index + 1} is done` : `Wave ${next.index + 1} starts next`;
}

export interface RolloutWavesProps {
  upgrade: UpgradeView | null;
  canChange: boolean;
  busy: boolean;
  onCommand: (action: 'pause' | 'resume' | 'abort') => void;
  onCancelScheduled: (scheduled: ScheduledView) => void;
}

/** The activation's waves as they go, its Pause/Resume/Abort, and the actions set for later. */
export function RolloutWaves({ upgrade, canChange, busy, onCommand, onCancelScheduled }: RolloutWavesProps) {
  if (!upgrade) return null;
  const rollout = upgrade.rollout;
  const active = upgrade.stage === 'Reload' && rollout !== null;
  const next = nextWaveText(upgrade);
  return (
    <div className="rollout" data-testid="rollout">
      {rollout?.state === 'paused' && active && (
        <Alert tone="warning" data-testid="rollout-paused">
          Activation paused: {rollout.pauseReason}. Resume to continue with the next wave, or Abort.
        </Alert>
      )}
      {active && (
        <div className="form-actions">
          <Button disabled={!canChange || busy || rollout.state !== 'running'} onClick={() => onCommand('pause')}>
            Pause
          </Button>
          <Button disabled={!canChange || busy || rollout.state !== 'paused'} onClick={() => onCommand('resume')}>
            Resume
          </Button>
          <Button variant="danger" disabled={!canChange || busy || rollout.state === 'aborted'} onClick={() => onCommand('abort')}>
            Abort
          </Button>
        </div>
      )}
      {upgrade.waves.length > 0 && (
        <ol className="wave-list" aria-label="Activation waves">
          {upgrade.waves.map((wave) => (
            <li key={wave.index} data-testid="wave" data-state={wave.state} data-index={wave.index}>
              <span className="wave-title">Wave {wave.index + 1}</span> <Badge tone={wave.failed > 0 ? 'danger' : WAVE_TONE[wave.state]}>{wave.state}</Badge>{' '}
              <span className="wave-counts">
                {wave.aps.length} AP(s): {wave.reloading} reloading, {wave.joined} back on the new version, {wave.failed} failed
              </span>
              {wave.members && (
                <ul className="wave-members">
                  {wave.members.map((member) => (
                    <li key={member.mac} data-testid="wave-member" data-status={member.status}>
                      {member.name} <Badge tone={MEMBER_TONE[member.status] ?? 'neutral'}>{member.status}</Badge>
                    </li>
                  ))}
                </ul>
              )}
            </li>
          ))}
        </ol>
      )}
      {next && (
        <p className="wave-next" data-testid="wave-next">
          {next}
          {rollout?.windowEnd ? `; no wave starts after ${bothZones(rollout.windowEnd, upgrade.controllerTimeZone)}` : ''}
        </p>
      )}
      {upgrade.scheduled.length > 0 && (
        <ul className="scheduled-list" aria-label="Scheduled actions">
          {upgrade.scheduled.map((item) => (
            <li key={item.id} data-testid="scheduled">
              {item.action === 'download' ? 'Save & Download' : 'Activate'} at {bothZones(item.at, upgrade.controllerTimeZone)}
              {item.windowEnd ? `, window ends ${bothZones(item.windowEnd, upgrade.controllerTimeZone)}` : ''} (by {item.createdBy}){' '}
              <Button className="btn-small" disabled={!canChange || busy} onClick={() => onCancelScheduled(item)}>
                Cancel schedule
              </Button>
            </li>
          ))}
        </ul>
      )}
    </div>
  );
}
