import { useTranslations } from 'next-intl';
import { UPGRADE_BAR_STAGES, type UpgradeView } from '@/lib/upgradeStage';
import { stageMarks } from './stageMarks';

export function StageBar({ upgrade }: { upgrade: UpgradeView | null }) {
  const t = useTranslations('stages');
  const marks = stageMarks(upgrade);
  return (
    <ol className="stage-bar" data-testid="stage-bar" data-stage={upgrade?.stage ?? 'Idle'} aria-label={t('label')}>
      {UPGRADE_BAR_STAGES.map((stage, index) => {
        const mark = marks[stage];
        return (
          <li key={stage} className={`stage stage-${mark}`} data-testid={`stage-${stage}`} data-state={mark} aria-current={mark === 'current' ? 'step' : undefined}>
            <span className="stage-marker" aria-hidden="true">
              {mark === 'done' ? '✓' : mark === 'failed' || mark === 'cancelled' ? '✕' : index + 1}
            </span>
            <span className="stage-label">{t(stage)}</span>
            <span className="visually-hidden">, {t(`mark_${mark}`)}</span>
          </li>
        );
      })}
    </ol>
  );
}
