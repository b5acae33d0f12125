import type { TextareaHTMLAttributes } from 'react';
import { cx } from './cx';

export interface TextAreaProps extends Omit<TextareaHTMLAttributes<HTMLTextAreaElement>, 'onChange'> {
  invalid?: boolean;
  /** The id of the error message, read out with the field when it is invalid. */
  errorId?: string;
  onValueChange: (value: string) => void;
}

export function TextArea({ invalid = false, errorId, onValueChange, className, ...rest }: TextAreaProps) {
  return (
    <textarea
      className={cx('textarea', className)}
      aria-invalid={invalid || undefined}
      aria-describedby={invalid ? errorId : undefined}
      onChange={(event) => onValueChange(event.target.value)}
      {...rest}
    />
  );
}
