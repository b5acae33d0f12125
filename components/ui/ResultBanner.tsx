'use client';

import { useTranslations } from 'next-intl';
import { useEffect, useRef } from 'react';
import { Alert } from './Alert';

/** How long a confirmation ("Saved", "Download started") stays: it reports a moment, and the page moves on. A refusal stays until dismissed. */
export const SUCCESS_MESSAGE_MS = 8000;

export interface ResultMessage {
  tone: 'success' | 'error';
  text: string;
}

export interface ResultBannerProps {
  message: ResultMessage | null;
  onDismiss: () => void;
  testId: string;
}

/** The outcome of the last button press: a confirmation, or the API's reason for refusing. */
export function ResultBanner({ message, onDismiss, testId }: ResultBannerProps) {
  // The handler is read when the time is up, so re-renders (four a second on a live page) do not restart the clock.
  const t = useTranslations('common');
  const dismiss = useRef(onDismiss);
  useEffect(() => {
    dismiss.current = onDismiss;
  });
  useEffect(() => {
    if (message?.tone !== 'success') return;
    const timer = setTimeout(() => dismiss.current(), SUCCESS_MESSAGE_MS);
    return () => clearTimeout(timer);
  }, [message]);
  if (!message) return null;
  return (
    <Alert tone={message.tone === 'error' ? 'danger' : 'success'} className="alert-dismissible" data-testid={testId} data-tone={message.tone}>
      {message.text}
      {/* The × is drawn by CSS so the banner's text is exactly the message. */}
      <button type="button" className="alert-dismiss" onClick={onDismiss} aria-label={t('dismissMessage')} />
    </Alert>
  );
}
