'use client';

import { useEffect, useId, useRef, type ReactNode } from 'react';
import { cx } from './cx';

export interface DialogProps {
  title: string;
  /** Escape calls it too, so it must be the choice that changes nothing. */
  onDismiss: () => void;
  children: ReactNode;
  /** The buttons; the first one takes the focus when the dialog opens. */
  actions: ReactNode;
  /**
   * Where the focus goes on close. Defaults to what had it on open, but a
   * button that disables itself while its request runs has lost it by then.
   */
  returnFocusTo?: string;
  className?: string;
  'data-testid'?: string;
}

const FOCUSABLE = 'button:not(:disabled), [href], input:not(:disabled), select:not(:disabled), textarea:not(:disabled), [tabindex]:not([tabindex="-1"])';

/** Tab and Shift+Tab cycle inside the dialog, as aria-modal promises assistive technology. */
function keepFocusInside(dialog: HTMLElement, event: KeyboardEvent): void {
  const focusable = Array.from(dialog.querySelectorAll<HTMLElement>(FOCUSABLE));
  const first = focusable[0];
  const last = focusable[focusable.length - 1];
  const active = document.activeElement;
  if (!first || !last) {
    event.preventDefault();
  } else if (!(active instanceof Node) || !dialog.contains(active)) {
    event.preventDefault();
    first.focus();
  } else if (event.shiftKey && active === first) {
    event.preventDefault();
    last.focus();
  } else if (!event.shiftKey && active === last) {
    event.preventDefault();
    first.focus();
  }
}

/**
 * A modal dialog over the page. Mount it to open it and unmount it to close
 * it: the focus moves in on mount and back to whatever had it on unmount.
 */
export function Dialog({ title, onDismiss, children, actions, returnFocusTo, className, 'data-testid': testId }: DialogProps) {
  const titleId = useId();
  const ref = useRef<HTMLDivElement>(null);
  // The key listener lives as long as the dialog; it reads the latest handler instead of re-subscribing.
  const dismiss = useRef(onDismiss);
  const returnTo = useRef(returnFocusTo);
  useEffect(() => {
    dismiss.current = onDismiss;
    returnTo.current = returnFocusTo;
  });

  useEffect(() => {
    const dialog = ref.current;
    if (!dialog) return;
    const opener = document.activeElement instanceof HTMLElement ? document.activeElement : null;
    dialog.querySelector<HTMLElement>('button:not(:disabled)')?.focus();
    const onKeyDown = (event: KeyboardEvent) => {
      if (event.key === 'Escape') {
        event.preventDefault();
        dismiss.current();
      } else if (event.key === 'Tab') {
        keepFocusInside(dialog, event);
      }
    };
    document.addEventListener('keydown', onKeyDown);
    return () => {
      document.removeEventListener('keydown', onKeyDown);
      const target = returnTo.current ? document.getElementById(returnTo.current) : null;
      (target ?? opener)?.focus();
    };
  }, []);

  return (
    <div className="dialog-backdrop">
      <div ref={ref} role="dialog" aria-modal="true" aria-labelledby={titleId} className={cx('dialog', className)} data-testid={testId}>
        <h2 id={titleId} className="dialog-title">
          {title}
        </h2>
        <div className="dialog-body">{children}</div>
        <div className="dialog-actions">{actions}</div>
      </div>
    </div>
  );
}
