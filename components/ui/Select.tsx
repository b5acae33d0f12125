import type { SelectHTMLAttributes } from 'react';
import { cx } from './cx';

export interface SelectOption<T extends string> {
  value: T;
  label: string;
}

export interface SelectProps<T extends string> extends Omit<SelectHTMLAttributes<HTMLSelectElement>, 'value' | 'onChange'> {
  value: T;
  options: readonly SelectOption<T>[];
  invalid?: boolean;
  errorId?: string;
  onValueChange: (value: T) => void;
}

export function Select<T extends string>({ value, options, invalid = false, errorId, onValueChange, className, ...rest }: SelectProps<T>) {
  return (
    <select
      className={cx('select', className)}
      value={value}
      aria-invalid={invalid || undefined}
      aria-describedby={invalid ? errorId : undefined}
      onChange={(event) => {
        // Map back to the typed option rather than trusting the DOM string.
        const chosen = options.find((option) => option.value === event.target.value);
        if (chosen) onValueChange(chosen.value);
      }}
      {...rest}
    >
      {options.map((option) => (
        <option key={option.value} value={option.value}>
          {option.label}
        </option>
      ))}
    </select>
  );
}

/** Options whose label is the value itself, as the EWC shows enum values. */
export function optionsOf<T extends string>(values: readonly T[]): SelectOption<T>[] {
  return values.map((value) => ({ value, label: value }));
}
