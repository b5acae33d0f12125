import { Select, type SelectOption } from '@/components/ui/Select';
import { TextInput } from '@/components/ui/TextInput';
import type { RolloutStrategy } from '@/lib/rollout';
import type { ActivationOptionsApi, WaveSizeChoice } from './useActivationOptions';

const STRATEGIES: readonly SelectOption<RolloutStrategy>[] = [
  { value: 'all', label: 'All at once' },
  { value: 'rolling', label: 'Rolling (in waves)' },
];
const WAVE_SIZES: readonly SelectOption<WaveSizeChoice>[] = [
  { value: '5', label: '5 % of the APs' },
  { value: '15', label: '15 % of the APs' },
  { value: '25', label: '25 % of the APs' },
  { value: 'count', label: 'A number of APs' },
];

/** How Activate runs: all at once or in waves, now or at a time, with a window end. */
export function ActivationOptions({ options, disabled }: { options: ActivationOptionsApi; disabled: boolean }) {
  const { values, set } = options;
  const rolling = values.strategy === 'rolling';
  return (
    <fieldset className="activation-options" disabled={disabled} data-testid="activation-options">
      <legend>Activation</legend>
      <label className="inline-field">
        <span>Activation mode</span>
        <Select id="activation-strategy" value={values.strategy} options={STRATEGIES} onValueChange={(value) => set('strategy', value)} />
      </label>
      {rolling && (
        <>
          <label className="inline-field">
            <span>Wave size</span>
            <Select id="activation-wave-size" value={values.waveSize} options={WAVE_SIZES} onValueChange={(value) => set('waveSize', value)} />
          </label>
          {values.waveSize === 'count' && (
            <label className="inline-field">
              <span>APs per wave</span>
              <TextInput id="activation-wave-count" type="number" min={1} value={values.waveCount} onValueChange={(value) => set('waveCount', value)} />
            </label>
          )}
          <label className="inline-field">
            <span>Pause when more than this % of a wave fails</span>
            <TextInput id="activation-threshold" type="number" min={0} max={100} value={values.errorThresholdPercent} onValueChange={(value) => set('errorThresholdPercent', value)} />
          </label>
        </>
      )}
      <label className="inline-field">
        <span>Start at (empty: now)</span>
        <TextInput id="activation-at" type="datetime-local" value={values.at} onValueChange={(value) => set('at', value)} />
      </label>
      <label className="inline-field">
        <span>Window ends (no new wave after)</span>
        <TextInput id="activation-window-end" type="datetime-local" value={values.windowEnd} onValueChange={(value) => set('windowEnd', value)} />
      </label>
    </fieldset>
  );
}
