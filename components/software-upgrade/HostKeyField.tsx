import { useTranslations } from 'next-intl';
import { Button } from '@/components/ui/Button';
import { Field } from '@/components/ui/Field';
import { TextInput } from '@/components/ui/TextInput';
import { fieldControl } from './profileForm';
import type { ProfileFormApi } from './useProfileForm';

// ssh-keygen's own form, the same in every language.
const FINGERPRINT_FORM = 'SHA256:…';

export interface HostKeyFieldProps {
  form: ProfileFormApi;
  onGetHostKey: () => void;
  /** Another request is out; the page sends one at a time. */
  blocked: boolean;
  fetching: boolean;
}

/** The pinned host key of the image server, typed from `ssh-keygen -lf` or fetched and confirmed. */
export function HostKeyField({ form, onGetHostKey, blocked, fetching }: HostKeyFieldProps) {
  const t = useTranslations('sftp');
  const fingerprint = fieldControl(form.errors, 'sftp.hostKeyFingerprint');
  const value = form.values.sftp.hostKeyFingerprint;
  return (
    <Field id={fingerprint.id} path={fingerprint.path} label={t('hostKeyFingerprint')} error={fingerprint.error} hint={value.trim() === '' ? t('hostKeyNone') : undefined}>
      <div className="input-with-button">
        <TextInput
          id={fingerprint.id}
          className="input-mono"
          value={value}
          placeholder={FINGERPRINT_FORM}
          autoComplete="off"
          autoCapitalize="off"
          spellCheck={false}
          invalid={fingerprint.invalid}
          errorId={fingerprint.errorId}
          onValueChange={(next) => {
            form.setSftp('hostKeyFingerprint', next);
            // A typed fingerprint may be any of the server's keys: the download finds which.
            form.setSftp('hostKeyType', '');
          }}
        />
        <Button disabled={blocked} busy={fetching} onClick={onGetHostKey}>
          {t('getHostKey')}
        </Button>
      </div>
    </Field>
  );
}
