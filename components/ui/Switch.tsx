import { useTranslations } from 'next-intl';
import { cx } from './cx';

export interface SwitchProps {
  id: string;
  checked: boolean;
  onCheckedChange: (checked: boolean) => void;
  onText?: string;
  offText?: string;
  disabled?: boolean;
  invalid?: boolean;
  errorId?: string;
}

/**
 * A native checkbox with the switch role: keyboard, form and test tooling
 * treat it as a checkbox, while it looks like the EWC's toggle.
 */
export function Switch({ id, checked, onCheckedChange, onText, offText, disabled, invalid = false, errorId }: SwitchProps) {
  const t = useTranslations('profileForm');
  return (
    <span className={cx('switch', checked && 'switch-on')}>
      <input
        id={id}
        type="checkbox"
        role="switch"
        className="switch-input"
        checked={checked}
        disabled={disabled}
        aria-invalid={invalid || undefined}
        aria-describedby={invalid ? errorId : undefined}
        onChange={(event) => onCheckedChange(event.target.checked)}
      />
      <span className="switch-text">{checked ? (onText ?? t('switchOn')) : (offText ?? t('switchOff'))}</span>
    </span>
  );
}
