import type { InputHTMLAttributes } from 'react';
import { cx } from './cx';

export interface TextInputProps extends Omit<InputHTMLAttributes<HTMLInputElement>, 'onChange'> {
  invalid?: boolean;
  /** The id of the error message, read out with the field when it is invalid. */
  errorId?: string;
  onValueChange: (value: string) => void;
}

export function TextInput({ invalid = false, errorId, onValueChange, className, type = 'text', ...rest }: TextInputProps) {
  return (
    <input
      type={type}
      className={cx('input', className)}
      aria-invalid={invalid || undefined}
      aria-describedby={invalid ? errorId : undefined}
      onChange={(event) => onValueChange(event.target.value)}
      {...rest}
    />
  );
}
