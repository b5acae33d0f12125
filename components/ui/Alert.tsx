import type { HTMLAttributes, ReactNode } from 'react';
import { cx } from './cx';

export interface AlertProps extends HTMLAttributes<HTMLDivElement> {
  tone: 'info' | 'success' | 'warning' | 'danger';
  children: ReactNode;
}

export function Alert({ tone, className, children, ...rest }: AlertProps) {
  // Only problems interrupt a screen reader; information waits its turn.
  const role = tone === 'info' || tone === 'success' ? 'status' : 'alert';
  return (
    <div role={role} className={cx('alert', `alert-${tone}`, className)} {...rest}>
      {children}
    </div>
  );
}
