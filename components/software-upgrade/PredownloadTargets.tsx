import { TextInput } from '@/components/ui/TextInput';
import type { PredownloadTargetsValues } from './usePredownloadTargets';

const FIELDS: readonly { key: keyof PredownloadTargetsValues; label: string; type?: string }[] = [
  { key: 'siteTags', label: 'Site tags (comma-separated)' },
  { key: 'imageTypes', label: 'Image types' },
  { key: 'models', label: 'Models' },
  { key: 'q', label: 'AP name or MAC contains' },
  { key: 'at', label: 'Download at (empty: now)', type: 'datetime-local' },
];

/** Save & Download's targets: empty fields do not narrow, so all empty is every AP. */
export function PredownloadTargets({ values, onChange, disabled }: { values: PredownloadTargetsValues; onChange: (key: keyof PredownloadTargetsValues, value: string) => void; disabled: boolean }) {
  return (
    <fieldset className="activation-options" disabled={disabled} data-testid="predownload-targets">
      <legend>Save &amp; Download to</legend>
      {FIELDS.map((field) => (
        <label key={field.key} className="inline-field">
          <span>{field.label}</span>
          <TextInput id={`targets-${field.key}`} type={field.type} value={values[field.key]} onValueChange={(value) => onChange(field.key, value)} />
        </label>
      ))}
    </fieldset>
  );
}
