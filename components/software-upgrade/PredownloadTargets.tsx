import { useTranslations } from 'next-intl';
import { TextInput } from '@/components/ui/TextInput';
import type { PredownloadTargetsValues } from './usePredownloadTargets';

const FIELDS: readonly { key: keyof PredownloadTargetsValues; type?: string }[] = [{ key: 'siteTags' }, { key: 'imageTypes' }, { key: 'models' }, { key: 'q' }, { key: 'at', type: 'datetime-local' }];

/** Save & Download's targets: empty fields do not narrow, so all empty is every AP. */
export function PredownloadTargets({ values, onChange, disabled }: { values: PredownloadTargetsValues; onChange: (key: keyof PredownloadTargetsValues, value: string) => void; disabled: boolean }) {
  const t = useTranslations('targets');
  return (
    <fieldset className="activation-options" disabled={disabled} data-testid="predownload-targets">
      <legend>{t('legend')}</legend>
      {FIELDS.map((field) => (
        <label key={field.key} className="inline-field">
          <span>{t(field.key)}</span>
          <TextInput id={`targets-${field.key}`} type={field.type} value={values[field.key]} onValueChange={(value) => onChange(field.key, value)} />
        </label>
      ))}
    </fieldset>
  );
}
