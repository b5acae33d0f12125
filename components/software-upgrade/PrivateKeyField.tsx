import { useTranslations } from 'next-intl';
import type { ChangeEvent } from 'react';
import { Field } from '@/components/ui/Field';
import { TextArea } from '@/components/ui/TextArea';
import { fieldControl } from './profileForm';
import { readPrivateKeyFile } from './privateKeyFile';
import type { ProfileFormApi } from './useProfileForm';

// The key file's own first line, the same in every language.
const KEY_FORM = '-----BEGIN OPENSSH PRIVATE KEY-----';

export interface PrivateKeyFieldProps {
  form: ProfileFormApi;
  /** A key is stored on the controller; an empty field keeps it. */
  hasPrivateKey: boolean;
}

/** The key as text, pasted or loaded from a file; it is never filled from the server. */
export function PrivateKeyField({ form, hasPrivateKey }: PrivateKeyFieldProps) {
  const t = useTranslations('sftp');
  const key = fieldControl(form.errors, 'sftp.privateKey');
  const fileId = `${key.id}-file`;

  const loadFile = async (event: ChangeEvent<HTMLInputElement>) => {
    const input = event.currentTarget;
    const file = input.files?.[0];
    // Cleared so that choosing the same file again, after editing the text, reads it again.
    input.value = '';
    if (!file) return;
    const read = await readPrivateKeyFile(file);
    if (read.ok) form.setSftp('privateKey', read.text);
    else form.addErrors({ [key.path]: read.error });
  };

  return (
    <Field id={key.id} path={key.path} label={t('privateKey')} required={!hasPrivateKey} error={key.error}>
      <TextArea
        id={key.id}
        className="textarea-key"
        rows={5}
        // Key lines must stay whole to be recognisable; wrapping them looks like corruption.
        wrap="off"
        value={form.values.sftp.privateKey}
        placeholder={hasPrivateKey ? t('privateKeyKept') : KEY_FORM}
        autoComplete="off"
        autoCapitalize="off"
        spellCheck={false}
        aria-required={!hasPrivateKey || undefined}
        invalid={key.invalid}
        errorId={key.errorId}
        onValueChange={(value) => form.setSftp('privateKey', value)}
      />
      <div className="file-load">
        <input id={fileId} type="file" className="file-input" onChange={(event) => void loadFile(event)} />
        {/* The label is the visible button: a native file input cannot be styled like the others. */}
        <label htmlFor={fileId} className="btn btn-secondary btn-small">
          {t('loadKeyFile')}
        </label>
      </div>
    </Field>
  );
}
