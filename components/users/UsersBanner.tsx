import { Alert } from '@/components/ui/Alert';
import type { UsersMessage } from './useUserActions';

export interface UsersBannerProps {
  message: UsersMessage | null;
  onDismiss: () => void;
}

/** The outcome of the last add, removal or password change: a confirmation, or the API's reason for refusing. */
export function UsersBanner({ message, onDismiss }: UsersBannerProps) {
  if (!message) return null;
  return (
    <Alert tone={message.tone === 'error' ? 'danger' : 'success'} className="alert-dismissible" data-testid="users-message" data-tone={message.tone}>
      {message.text}
      {/* The × is drawn by CSS so the banner's text is exactly the message. */}
      <button type="button" className="alert-dismiss" onClick={onDismiss} aria-label="Dismiss message" />
    </Alert>
  );
}
