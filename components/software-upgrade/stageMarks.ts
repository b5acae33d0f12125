import { UPGRADE_BAR_STAGES, type UpgradeBarStage, type UpgradeView } from '@/lib/upgradeStage';

export type StageMark = 'done' | 'current' | 'pending' | 'failed' | 'cancelled';

function marksUpTo(index: number, atIndex: StageMark): Record<UpgradeBarStage, StageMark> {
  const marks = {} as Record<UpgradeBarStage, StageMark>;
  UPGRADE_BAR_STAGES.forEach((stage, i) => {
    marks[stage] = i < index ? 'done' : i === index ? atIndex : 'pending';
  });
  return marks;
}

/**
 * Where each bar stage stands. Skipped stages read as done once a later stage
 * is reached, as on the controller; a Cancelled or Failed upgrade is marked at
 * the stage it stopped in.
 */
export function stageMarks(upgrade: Pick<UpgradeView, 'stage' | 'lastBarStage'> | null): Record<UpgradeBarStage, StageMark> {
  if (!upgrade) return marksUpTo(-1, 'pending');
  const { stage, lastBarStage } = upgrade;
  switch (stage) {
    case 'Idle':
      return marksUpTo(-1, 'pending');
    case 'Completed':
      return marksUpTo(UPGRADE_BAR_STAGES.length, 'done');
    case 'Cancelled':
    case 'Failed':
    case 'Superseded':
      // Every upgrade passes Initiate first, so an unknown stop point is at the start.
      return marksUpTo(lastBarStage ? UPGRADE_BAR_STAGES.indexOf(lastBarStage) : 0, stage === 'Failed' ? 'failed' : 'cancelled');
    default:
      return marksUpTo(UPGRADE_BAR_STAGES.indexOf(stage), 'current');
  }
}
