import { useTranslations } from 'next-intl';
import { useState, type FormEvent } from 'react';
import type { EnrolmentTokenView } from '@/lib/apAuthorization';
import { Alert } from '@/components/ui/Alert';
import { Button } from '@/components/ui/Button';
import { Field } from '@/components/ui/Field';
import { TextInput } from '@/components/ui/TextInput';
import { formatDateTime } from '@/lib/dateTime';

// A MAC in the EWC's own form is a device value: the same in every language.
const MAC_EXAMPLE = '2c5a.0f40.6920';

export interface EnrolmentTokensProps {
  tokens: readonly EnrolmentTokenView[];
  /** The token just created: shown once, never listed again. */
  created: string | null;
  errors: Record<string, string>;
  blocked: boolean;
  onCreate: (body: { mac: string; validHours: string }) => void;
  onDelete: (id: number) => void;
}

function tokenState(token: EnrolmentTokenView, t: ReturnType<typeof useTranslations<'apAuthorization'>>): string {
  if (token.usedAt) return t('tokenUsed', { mac: token.usedByMac ?? '', time: formatDateTime(token.usedAt) });
  return new Date(token.expiresAt) < new Date() ? t('tokenExpired') : t('tokenUnused', { time: formatDateTime(token.expiresAt) });
}

/** One-time enrolment tokens: an admin creates one per AP (optionally bound to its MAC); the AP enrols with it once and is approved. */
export function EnrolmentTokens({ tokens, created, errors, blocked, onCreate, onDelete }: EnrolmentTokensProps) {
  const t = useTranslations('apAuthorization');
  const [mac, setMac] = useState('');
  const [validHours, setValidHours] = useState('24');
  const submit = (event: FormEvent) => {
    event.preventDefault();
    onCreate({ mac, validHours });
  };
  return (
    <div className="enrolment-tokens">
      <form className="add-user-form" noValidate onSubmit={submit} aria-label={t('newToken')}>
        <h3 className="users-subtitle">{t('newToken')}</h3>
        <fieldset className="profile-fields" disabled={blocked}>
          <Field id="token-mac" label={t('tokenMac')} path="mac" error={errors.mac} hint={t('tokenMacHint')}>
            <TextInput id="token-mac" value={mac} placeholder={MAC_EXAMPLE} invalid={'mac' in errors} onValueChange={setMac} />
          </Field>
          <Field id="token-hours" label={t('validHours')} path="validHours" error={errors.validHours}>
            <TextInput id="token-hours" className="input-short" inputMode="numeric" value={validHours} invalid={'validHours' in errors} onValueChange={setValidHours} />
          </Field>
        </fieldset>
        <div className="form-actions">
          <Button type="submit" variant="primary" disabled={blocked}>
            {t('createToken')}
          </Button>
        </div>
      </form>
      {created && (
        <Alert tone="info" data-testid="enrolment-token-created">
          {t.rich('createdNote', { code: (chunks) => <code>{chunks}</code> })} <code data-testid="enrolment-token">{created}</code>
        </Alert>
      )}
      <ul className="token-list" aria-label={t('tokenList')}>
        {tokens.map((token) => (
          <li key={token.id} data-testid="enrolment-token-row">
            {token.mac
              ? t('tokenRowFor', { id: token.id, mac: token.mac, createdBy: token.createdBy, state: tokenState(token, t) })
              : t('tokenRow', { id: token.id, createdBy: token.createdBy, state: tokenState(token, t) })}{' '}
            {!token.usedAt && (
              <Button className="btn-small" disabled={blocked} onClick={() => onDelete(token.id)}>
                {t('delete')}
              </Button>
            )}
          </li>
        ))}
      </ul>
    </div>
  );
}
