'use client';

import { useTranslations } from 'next-intl';
import { useEffect, useState, type FormEvent } from 'react';
import { loadPasswordDictionaries, MIN_PASSWORD_LENGTH } from '@/lib/validations/passwordPolicy';
import { Button } from '@/components/ui/Button';
import { Dialog } from '@/components/ui/Dialog';
import { fieldControlOf, TextField } from '@/components/ui/FormFields';
import type { FormOutcome } from './useUserActions';
import { parseNewPassword, type FieldErrors } from './userForms';

const FORM_ID = 'change-password-form';
const INPUT_ID = 'change-password-password';
const CURRENT_ID = 'change-password-current';

function focusField(id = INPUT_ID): void {
  document.getElementById(id)?.focus();
}

export interface ChangePasswordDialogProps {
  username: string;
  /** The signed-in user's own account: the wording changes, the request does not. */
  own: boolean;
  busy: boolean;
  /** The id of the element to focus on close; see Dialog. */
  returnFocusTo?: string;
  /** `currentPassword` only for one's own account, where the server asks for it. */
  onSave: (password: string, currentPassword?: string) => Promise<FormOutcome>;
  onClose: () => void;
}

export function ChangePasswordDialog({ username, own, busy, returnFocusTo, onSave, onClose }: ChangePasswordDialogProps) {
  const t = useTranslations('users');
  const [password, setPassword] = useState('');
  const [currentPassword, setCurrentPassword] = useState('');
  const [errors, setErrors] = useState<FieldErrors>({});

  // Runs after the Dialog's own effect (a child's effects run first), which focuses the first button:
  // here the engineer's next step is typing, so the field takes the focus instead.
  useEffect(() => focusField(own ? CURRENT_ID : INPUT_ID), [own]);
  useEffect(() => void loadPasswordDictionaries(), []);

  const handleSubmit = async (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    if (busy) return;
    const parsed = await parseNewPassword(password, username, own ? currentPassword : undefined);
    // Cleared whatever happens next: a typed password must not linger in the field or in state.
    setPassword('');
    setCurrentPassword('');
    if (!parsed.ok) {
      setErrors(parsed.errors);
      focusField('currentPassword' in parsed.errors ? CURRENT_ID : INPUT_ID);
      return;
    }
    setErrors({});
    const outcome = await onSave(parsed.body.password, parsed.body.currentPassword);
    if (outcome.status === 'invalid') {
      setErrors(outcome.errors);
      focusField('currentPassword' in outcome.errors ? CURRENT_ID : INPUT_ID);
    } else if (outcome.status !== 'skipped') {
      onClose();
    }
  };

  // One's own account asks for the current password first, as the server does.
  const passwordFields = [
    ...(own ? [{ id: CURRENT_ID, path: 'currentPassword', label: t('currentPassword'), value: currentPassword, set: setCurrentPassword, autoComplete: 'current-password', hint: undefined }] : []),
    { id: INPUT_ID, path: 'password', label: t('newPassword'), value: password, set: setPassword, autoComplete: 'new-password', hint: t('passwordHint', { min: MIN_PASSWORD_LENGTH }) },
  ];

  return (
    <Dialog
      title={own ? t('changeOwnTitle') : t('changeTitle', { username })}
      data-testid="change-password-dialog"
      onDismiss={onClose}
      returnFocusTo={returnFocusTo}
      actions={
        <>
          {/* Outside the form element but tied to it, so Enter in the field and the button submit alike. */}
          <Button type="submit" form={FORM_ID} variant="primary" disabled={busy} busy={busy}>
            {t('savePassword')}
          </Button>
          <Button onClick={onClose}>{t('cancel')}</Button>
        </>
      }
    >
      <form id={FORM_ID} noValidate onSubmit={(event) => void handleSubmit(event)}>
        {passwordFields.map(({ id, path, label, value, set, autoComplete, hint }) => (
          <TextField
            key={id}
            control={fieldControlOf(id, path, errors)}
            label={label}
            required
            hint={hint}
            type="password"
            value={value}
            autoComplete={autoComplete}
            aria-required="true"
            onValueChange={(typed) => {
              set(typed);
              setErrors({});
            }}
          />
        ))}
      </form>
      <p className="dialog-note">{own ? t('ownLoggedOut') : t('otherLoggedOut', { username })}</p>
    </Dialog>
  );
}
