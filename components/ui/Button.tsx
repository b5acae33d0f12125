import type { ButtonHTMLAttributes } from 'react';
import { cx } from './cx';

type ButtonVariant = 'primary' | 'secondary' | 'danger';

export interface ButtonProps extends ButtonHTMLAttributes<HTMLButtonElement> {
  variant?: ButtonVariant;
  /** Marks a request in flight without changing the label, so the accessible name stays stable. */
  busy?: boolean;
}

export function Button({ variant = 'secondary', type = 'button', busy = false, className, children, ...rest }: ButtonProps) {
  return (
    <button type={type} className={cx('btn', `btn-${variant}`, busy && 'btn-busy', className)} aria-busy={busy || undefined} {...rest}>
      {children}
    </button>
  );
}
