import { useTranslations } from 'next-intl';
import { UPGRADE_STAGE_LABEL, type UpgradeStage } from '@/lib/upgradeStage';

/**
 * An upgrade's result in the page's language: the server's text is English, and when it is only the
 * stage's name ("Completed") the page says that name in its language; a result that says more
 * ("Completed on 4 of 6 APs", "Superseded by upgrade 3") is the server's words.
 */
export function useStageResultText(): (stage: UpgradeStage, result: string | null) => string {
  const t = useTranslations('stages');
  return (stage, result) => (result === null || result === UPGRADE_STAGE_LABEL[stage] ? t(stage) : result);
}
