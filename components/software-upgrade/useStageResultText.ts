import { useTranslations } from 'next-intl';
import type { Sentence } from '@/lib/serverSentences';
import { UPGRADE_STAGE_LABEL, type UpgradeStage } from '@/lib/upgradeStage';
import { useServerSentence } from '@/components/ui/useServerSentence';

/**
 * An upgrade's result in the page's language: the stage's name when that is all it says ("Completed"),
 * else the result's sentence ("Completed on 4 of 6 APs", "Superseded by upgrade 3"); the server's
 * English for any other result without a code.
 */
export function useStageResultText(): (stage: UpgradeStage, result: string | null, said?: Sentence | null) => string {
  const t = useTranslations('stages');
  const say = useServerSentence();
  return (stage, result, said) => {
    if (said) return say(said, result ?? t(stage));
    return result === null || result === UPGRADE_STAGE_LABEL[stage] ? t(stage) : result;
  };
}
