'use client';

import { useEffect, useState, type FormEvent } from 'react';
import { MIN_PASSWORD_LENGTH } from '@/server/auth/authSchemas';
import { Button } from '@/components/ui/Button';
import { Dialog } from '@/components/ui/Dialog';
import { Field, fieldErrorId } from '@/components/ui/Field';
import { TextInput } from '@/components/ui/TextInput';
import type { FormOutcome } from './useUserActions';
import { parseNewPassword, type FieldErrors } from './userForms';

const FORM_ID = 'change-password-form';
const INPUT_ID = 'change-password-password';

function focusField(): void {
  document.getElementById(INPUT_ID)?.focus();
}

export interface ChangePasswordDialogProps {
  username: string;
  /** The signed-in user's own account: the wording changes, the request does not. */
  own: boolean;
  busy: boolean;
  /** The id of the element to focus on close; see Dialog. */
  returnFocusTo?: string;
  onSave: (password: string) => Promise<FormOutcome>;
  onClose: () => void;
}

export function ChangePasswordDialog({ username, own, busy, returnFocusTo, onSave, onClose }: ChangePasswordDialogProps) {
  const [password, setPassword] = useState('');
  const [errors, setErrors] = useState<FieldErrors>({});

  // Runs after the Dialog's own effect (a child's effects run first), which focuses the first button:
  // here the engineer's next step is typing, so the field takes the focus instead.
  useEffect(() => focusField(), []);

  const handleSubmit = async (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    if (busy) return;
    const parsed = parseNewPassword(password);
    // Cleared whatever happens next: a typed password must not linger in the field or in state.
    setPassword('');
    if (!parsed.ok) {
      setErrors(parsed.errors);
      focusField();
      return;
    }
    setErrors({});
    const outcome = await onSave(parsed.body.password);
    if (outcome.status === 'invalid') {
      setErrors(outcome.errors);
      focusField();
    } else if (outcome.status !== 'skipped') {
      onClose();
    }
  };

  return (
    <Dialog
      title={own ? 'Change your password' : `Change password for ${username}`}
      data-testid="change-password-dialog"
      onDismiss={onClose}
      returnFocusTo={returnFocusTo}
      actions={
        <>
          {/* Outside the form element but tied to it, so Enter in the field and the button submit alike. */}
          <Button type="submit" form={FORM_ID} variant="primary" disabled={busy} busy={busy}>
            Save password
          </Button>
          <Button onClick={onClose}>Cancel</Button>
        </>
      }
    >
      <form id={FORM_ID} noValidate onSubmit={(event) => void handleSubmit(event)}>
        <Field id={INPUT_ID} path="password" label="New password" required error={errors.password} hint={`At least ${MIN_PASSWORD_LENGTH} characters.`}>
          <TextInput
            id={INPUT_ID}
            type="password"
            value={password}
            autoComplete="new-password"
            aria-required="true"
            invalid={'password' in errors}
            errorId={fieldErrorId(INPUT_ID)}
            onValueChange={(value) => {
              setPassword(value);
              setErrors({});
            }}
          />
        </Field>
      </form>
      {!own && <p className="dialog-note">{username} is logged out everywhere and logs in again with the new password.</p>}
      {own && <p className="dialog-note">Your other sessions are logged out; this one stays.</p>}
    </Dialog>
  );
}
