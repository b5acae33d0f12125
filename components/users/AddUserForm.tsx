import { useTranslations } from 'next-intl';
import type { FormEvent } from 'react';
import { ROLES } from '@/lib/validations/authSchemas';
import { MIN_PASSWORD_LENGTH } from '@/lib/validations/passwordPolicy';
import { Button } from '@/components/ui/Button';
import { Field, fieldErrorId } from '@/components/ui/Field';
import { optionsOf, Select } from '@/components/ui/Select';
import { TextInput } from '@/components/ui/TextInput';
import type { AddUserFormApi } from './useAddUserForm';

const ROLE_OPTIONS = optionsOf(ROLES);

const IDS = { username: 'add-user-username', password: 'add-user-password', role: 'add-user-role' } as const;

export interface AddUserFormProps {
  form: AddUserFormApi;
  busy: boolean;
  /** Another request is out; the page sends one at a time. */
  blocked: boolean;
}

export function AddUserForm({ form, busy, blocked }: AddUserFormProps) {
  const t = useTranslations('users');
  const { values, errors } = form;
  const handleSubmit = (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    if (!blocked) void form.submit();
  };

  return (
    // The API's schema validates; the browser's own bubbles would pre-empt its messages.
    <form className="add-user-form" noValidate onSubmit={handleSubmit} aria-label={t('addForm')}>
      <h3 className="users-subtitle">{t('newUser')}</h3>
      {/* Disabled while adding, so nothing typed meanwhile is wiped when the form resets. */}
      <fieldset className="profile-fields" disabled={busy}>
        <Field id={IDS.username} path="username" label={t('userName')} required error={errors.username}>
          <TextInput
            id={IDS.username}
            value={values.username}
            autoComplete="off"
            spellCheck={false}
            aria-required="true"
            invalid={'username' in errors}
            errorId={fieldErrorId(IDS.username)}
            onValueChange={form.setUsername}
          />
        </Field>
        <Field id={IDS.password} path="password" label={t('password')} required error={errors.password} hint={t('passwordHint', { min: MIN_PASSWORD_LENGTH })}>
          <TextInput
            id={IDS.password}
            type="password"
            value={values.password}
            // Stops the browser filling in the admin's own saved password for someone else's account.
            autoComplete="new-password"
            aria-required="true"
            invalid={'password' in errors}
            errorId={fieldErrorId(IDS.password)}
            onValueChange={form.setPassword}
          />
        </Field>
        <Field id={IDS.role} path="role" label={t('role')} error={errors.role}>
          <Select id={IDS.role} className="input-short" value={values.role} options={ROLE_OPTIONS} invalid={'role' in errors} errorId={fieldErrorId(IDS.role)} onValueChange={form.setRole} />
        </Field>
      </fieldset>
      <div className="form-actions">
        <Button type="submit" variant="primary" disabled={blocked} busy={busy}>
          {t('addUser')}
        </Button>
      </div>
    </form>
  );
}
