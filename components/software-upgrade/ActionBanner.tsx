import { Alert } from '@/components/ui/Alert';
import type { ActionMessage } from './useActionRunner';

export interface ActionBannerProps {
  message: ActionMessage | null;
  onDismiss: () => void;
}

/** The outcome of the last button press: a confirmation, or the API's reason for refusing. */
export function ActionBanner({ message, onDismiss }: ActionBannerProps) {
  if (!message) return null;
  return (
    <Alert tone={message.tone === 'error' ? 'danger' : 'success'} className="alert-dismissible" data-testid="action-message" data-tone={message.tone}>
      {message.text}
      {/* The × is drawn by CSS so the banner's text is exactly the message. */}
      <button type="button" className="alert-dismiss" onClick={onDismiss} aria-label="Dismiss message" />
    </Alert>
  );
}
