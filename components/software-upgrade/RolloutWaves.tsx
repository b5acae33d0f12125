import { useTranslations } from 'next-intl';
import { Alert } from '@/components/ui/Alert';
import { Badge, type BadgeTone } from '@/components/ui/Badge';
import { Button } from '@/components/ui/Button';
import { useServerSentence } from '@/components/ui/useServerSentence';
import type { ScheduledView, WaveView } from '@/lib/rollout';
import type { UpgradeView } from '@/lib/upgradeStage';
import { bothZonesText } from './confirmText';

const WAVE_TONE: Record<WaveView['state'], BadgeTone> = { pending: 'neutral', reloading: 'info', done: 'success' };
const MEMBER_TONE: Record<string, BadgeTone> = { Reloading: 'info', Joined: 'success', Failed: 'danger' };

function nextWaveText(upgrade: UpgradeView, t: ReturnType<typeof useTranslations<'rollout'>>): string | null {
  const rollout = upgrade.rollout;
  if (!rollout || upgrade.stage !== 'Reload') return null;
  const next = upgrade.waves.find((wave) => wave.state === 'pending');
  if (!next) return null;
  if (rollout.state === 'paused') return t('waitsForResume', { next: next.index + 1 });
  const current = upgrade.waves.find((wave) => wave.state === 'reloading');
  return current ? t('startsWhenDone', { next: next.index + 1, current: current.index + 1 }) : t('startsNext', { next: next.index + 1 });
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
  const t = useTranslations('rollout');
  const tButtons = useTranslations('upgradeButtons');
  const tConfirm = useTranslations('confirm');
  const say = useServerSentence();
  if (!upgrade) return null;
  const zones = (value: string) => bothZonesText(tConfirm, value, upgrade.controllerTimeZone);
  const rollout = upgrade.rollout;
  const active = upgrade.stage === 'Reload' && rollout !== null;
  const next = nextWaveText(upgrade, t);
  return (
    <div className="rollout" data-testid="rollout">
      {rollout?.state === 'paused' && active && (
        <Alert tone="warning" data-testid="rollout-paused">
          {t('paused', { reason: say(rollout.pauseSentence, rollout.pauseReason ?? '') })}
        </Alert>
      )}
      {active && (
        <div className="form-actions">
          <Button disabled={!canChange || busy || rollout.state !== 'running'} onClick={() => onCommand('pause')}>
            {t('pause')}
          </Button>
          <Button disabled={!canChange || busy || rollout.state !== 'paused'} onClick={() => onCommand('resume')}>
            {t('resume')}
          </Button>
          <Button variant="danger" disabled={!canChange || busy || rollout.state === 'aborted'} onClick={() => onCommand('abort')}>
            {t('abort')}
          </Button>
        </div>
      )}
      {upgrade.waves.length > 0 && (
        <ol className="wave-list" aria-label={t('waves')}>
          {upgrade.waves.map((wave) => (
            <li key={wave.index} data-testid="wave" data-state={wave.state} data-index={wave.index}>
              <span className="wave-title">{t('wave', { number: wave.index + 1 })}</span> <Badge tone={wave.failed > 0 ? 'danger' : WAVE_TONE[wave.state]}>{t(`waveState_${wave.state}`)}</Badge>{' '}
              <span className="wave-counts">{t('waveCounts', { count: wave.aps.length, reloading: wave.reloading, joined: wave.joined, failed: wave.failed })}</span>
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
          {rollout?.windowEnd ? t('noWaveAfter', { time: zones(rollout.windowEnd) }) : ''}
        </p>
      )}
      {upgrade.scheduled.length > 0 && (
        <ul className="scheduled-list" aria-label={t('scheduledList')}>
          {upgrade.scheduled.map((item) => (
            <li key={item.id} data-testid="scheduled">
              {t('scheduled', { action: tButtons(item.action === 'download' ? 'saveAndDownload' : 'activate'), time: zones(item.at) })}
              {item.windowEnd ? t('scheduledWindow', { time: zones(item.windowEnd) }) : ''}
              {t('scheduledBy', { user: item.createdBy })}{' '}
              <Button className="btn-small" disabled={!canChange || busy} onClick={() => onCancelScheduled(item)}>
                {t('cancelSchedule')}
              </Button>
            </li>
          ))}
        </ul>
      )}
    </div>
  );
}
