import { useTranslations } from 'next-intl';
import { Select, type SelectOption } from '@/components/ui/Select';
import { TextInput } from '@/components/ui/TextInput';
import type { RolloutStrategy } from '@/lib/rollout';
import type { ActivationOptionsApi, WaveSizeChoice } from './useActivationOptions';

/** How Activate runs: all at once or in waves, now or at a time, with a window end. */
export function ActivationOptions({ options, disabled }: { options: ActivationOptionsApi; disabled: boolean }) {
  const t = useTranslations('activation');
  const strategies: readonly SelectOption<RolloutStrategy>[] = [
    { value: 'all', label: t('all') },
    { value: 'rolling', label: t('rolling') },
  ];
  const waveSizes: readonly SelectOption<WaveSizeChoice>[] = [
    ...(['5', '15', '25'] as const).map((value) => ({ value, label: t('wavePercent', { percent: Number(value) }) })),
    { value: 'count', label: t('waveCount') },
  ];
  const { values, set } = options;
  const rolling = values.strategy === 'rolling';
  return (
    <fieldset className="activation-options" disabled={disabled} data-testid="activation-options">
      <legend>{t('legend')}</legend>
      <label className="inline-field">
        <span>{t('mode')}</span>
        <Select id="activation-strategy" value={values.strategy} options={strategies} onValueChange={(value) => set('strategy', value)} />
      </label>
      {rolling && (
        <>
          <label className="inline-field">
            <span>{t('waveSize')}</span>
            <Select id="activation-wave-size" value={values.waveSize} options={waveSizes} onValueChange={(value) => set('waveSize', value)} />
          </label>
          {values.waveSize === 'count' && (
            <label className="inline-field">
              <span>{t('apsPerWave')}</span>
              <TextInput id="activation-wave-count" type="number" min={1} value={values.waveCount} onValueChange={(value) => set('waveCount', value)} />
            </label>
          )}
          <label className="inline-field">
            <span>{t('threshold')}</span>
            <TextInput id="activation-threshold" type="number" min={0} max={100} value={values.errorThresholdPercent} onValueChange={(value) => set('errorThresholdPercent', value)} />
          </label>
        </>
      )}
      <label className="inline-field">
        <span>{t('startAt')}</span>
        <TextInput id="activation-at" type="datetime-local" value={values.at} onValueChange={(value) => set('at', value)} />
      </label>
      <label className="inline-field">
        <span>{t('windowEnd')}</span>
        <TextInput id="activation-window-end" type="datetime-local" value={values.windowEnd} onValueChange={(value) => set('windowEnd', value)} />
      </label>
    </fieldset>
  );
}
