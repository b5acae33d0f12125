import { useState, type FormEvent } from 'react';
import type { EnrolmentTokenView } from '@/lib/apAuthorization';
import { Alert } from '@/components/ui/Alert';
import { Button } from '@/components/ui/Button';
import { Field } from '@/components/ui/Field';
import { TextInput } from '@/components/ui/TextInput';
import { formatDateTime } from '@/lib/dateTime';

export interface EnrolmentTokensProps {
  tokens: readonly EnrolmentTokenView[];
  /** The token just created: shown once, never listed again. */
  created: string | null;
  errors: Record<string, string>;
  blocked: boolean;
  onCreate: (body: { mac: string; validHours: string }) => void;
  onDelete: (id: number) => void;
}

function tokenState(token: EnrolmentTokenView): string {
  if (token.usedAt) return `used by ${token.usedByMac} at ${formatDateTime(token.usedAt)}`;
  return new Date(token.expiresAt) < new Date() ? 'expired' : `unused, valid until ${formatDateTime(token.expiresAt)}`;
}

/** One-time enrolment tokens: an admin creates one per AP (optionally bound to its MAC); the AP enrols with it once and is approved. */
export function EnrolmentTokens({ tokens, created, errors, blocked, onCreate, onDelete }: EnrolmentTokensProps) {
  const [mac, setMac] = useState('');
  const [validHours, setValidHours] = useState('24');
  const submit = (event: FormEvent) => {
    event.preventDefault();
    onCreate({ mac, validHours });
  };
  return (
    <div className="enrolment-tokens">
      <form className="add-user-form" noValidate onSubmit={submit} aria-label="New enrolment token">
        <h3 className="users-subtitle">New enrolment token</h3>
        <fieldset className="profile-fields" disabled={blocked}>
          <Field id="token-mac" label="AP MAC Address" path="mac" error={errors.mac} hint="Optional: the token then enrols this AP only.">
            <TextInput id="token-mac" value={mac} placeholder="2c5a.0f40.6920" invalid={'mac' in errors} onValueChange={setMac} />
          </Field>
          <Field id="token-hours" label="Valid for (hours)" path="validHours" error={errors.validHours}>
            <TextInput id="token-hours" className="input-short" inputMode="numeric" value={validHours} invalid={'validHours' in errors} onValueChange={setValidHours} />
          </Field>
        </fieldset>
        <div className="form-actions">
          <Button type="submit" variant="primary" disabled={blocked}>
            Create token
          </Button>
        </div>
      </form>
      {created && (
        <Alert tone="info" data-testid="enrolment-token-created">
          Enrolment token (shown once; give it to the AP as <code>EWC_JOIN_TOKEN</code>): <code data-testid="enrolment-token">{created}</code>
        </Alert>
      )}
      <ul className="token-list" aria-label="Enrolment tokens">
        {tokens.map((token) => (
          <li key={token.id} data-testid="enrolment-token-row">
            Token {token.id}
            {token.mac ? ` for ${token.mac}` : ''}, by {token.createdBy}: {tokenState(token)}{' '}
            {!token.usedAt && (
              <Button className="btn-small" disabled={blocked} onClick={() => onDelete(token.id)}>
                Delete
              </Button>
            )}
          </li>
        ))}
      </ul>
    </div>
  );
}
