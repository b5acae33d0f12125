import { Alert } from './Alert';

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
  if (!message) return null;
  return (
    <Alert tone={message.tone === 'error' ? 'danger' : 'success'} className="alert-dismissible" data-testid={testId} data-tone={message.tone}>
      {message.text}
      {/* The × is drawn by CSS so the banner's text is exactly the message. */}
      <button type="button" className="alert-dismiss" onClick={onDismiss} aria-label="Dismiss message" />
    </Alert>
  );
}
