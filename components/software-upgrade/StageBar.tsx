import { UPGRADE_BAR_STAGES, UPGRADE_STAGE_LABEL, type UpgradeView } from '@/lib/upgradeStage';
import { stageMarks, type StageMark } from './stageMarks';

const MARK_TEXT: Record<StageMark, string> = {
  done: 'done',
  current: 'in progress',
  pending: 'pending',
  failed: 'failed',
  cancelled: 'cancelled',
};

export function StageBar({ upgrade }: { upgrade: UpgradeView | null }) {
  const marks = stageMarks(upgrade);
  return (
    <ol className="stage-bar" data-testid="stage-bar" data-stage={upgrade?.stage ?? 'Idle'} aria-label="Upgrade stages">
      {UPGRADE_BAR_STAGES.map((stage, index) => {
        const mark = marks[stage];
        return (
          <li key={stage} className={`stage stage-${mark}`} data-testid={`stage-${stage}`} data-state={mark} aria-current={mark === 'current' ? 'step' : undefined}>
            <span className="stage-marker" aria-hidden="true">
              {mark === 'done' ? '✓' : mark === 'failed' || mark === 'cancelled' ? '✕' : index + 1}
            </span>
            <span className="stage-label">{UPGRADE_STAGE_LABEL[stage]}</span>
            <span className="visually-hidden">, {MARK_TEXT[mark]}</span>
          </li>
        );
      })}
    </ol>
  );
}
