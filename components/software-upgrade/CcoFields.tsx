import { useTranslations } from 'next-intl';
import { CCO_AUTO_CHECK, CCO_RELEASE_CHOICES } from '@/lib/httpModeSettings';
import { Field } from '@/components/ui/Field';
import { Select, type SelectOption } from '@/components/ui/Select';
import { TextArea } from '@/components/ui/TextArea';
import { TextInput } from '@/components/ui/TextInput';
import { fieldControl } from './profileForm';
import type { ProfileFormApi } from './useProfileForm';

const AUTO_CHECK_LABEL_KEY = { off: 'autoCheckOff', daily: 'autoCheckDaily' } as const satisfies Record<(typeof CCO_AUTO_CHECK)[number], string>;

// Forms of a value, the same in every language.
const CATALOG_URL_FORM = 'https://catalog.example.com';
const TIME_FORM = '03:00';

export interface CcoFieldsProps {
  form: ProfileFormApi;
  hasPassword: boolean;
  /** Versions the last check found, offered besides recommended and latest. */
  knownVersions: readonly string[];
}

/** CCO mode: where the firmware catalog is, who logs in, which release to install and when to check. */
export function CcoFields({ form, hasPassword, knownVersions }: CcoFieldsProps) {
  const t = useTranslations('cco');
  const autoCheckOptions = CCO_AUTO_CHECK.map((value) => ({ value, label: t(AUTO_CHECK_LABEL_KEY[value]) }));
  const { values, errors } = form;
  const c = (path: Parameters<typeof fieldControl>[1]) => fieldControl(errors, path);
  const url = c('cco.catalogUrl');
  const user = c('cco.username');
  const password = c('cco.password');
  const release = c('cco.release');
  const autoCheck = c('cco.autoCheck');
  const time = c('cco.autoCheckTime');
  const ca = c('cco.caCertificate');
  const fingerprint = c('cco.certificateFingerprint');
  const versions = [...new Set([...knownVersions, ...(CCO_RELEASE_CHOICES.includes(values.cco.release as never) ? [] : [values.cco.release])])];
  const releaseOptions: SelectOption<string>[] = [{ value: 'recommended', label: t('recommended') }, { value: 'latest', label: t('latest') }, ...versions.map((v) => ({ value: v, label: v }))];

  return (
    <>
      <Field id={url.id} path={url.path} label={t('catalogUrl')} required error={url.error}>
        <TextInput
          id={url.id}
          value={values.cco.catalogUrl}
          placeholder={CATALOG_URL_FORM}
          autoComplete="off"
          spellCheck={false}
          aria-required="true"
          invalid={url.invalid}
          errorId={url.errorId}
          onValueChange={(v) => form.setCco('catalogUrl', v)}
        />
      </Field>
      <Field id={user.id} path={user.path} label={t('username')} required error={user.error}>
        <TextInput
          id={user.id}
          value={values.cco.username}
          autoComplete="off"
          spellCheck={false}
          aria-required="true"
          invalid={user.invalid}
          errorId={user.errorId}
          onValueChange={(v) => form.setCco('username', v)}
        />
      </Field>
      <Field id={password.id} path={password.path} label={t('password')} required={!hasPassword} error={password.error}>
        <TextInput
          id={password.id}
          type="password"
          value={values.cco.password}
          placeholder={hasPassword ? t('passwordKept') : ''}
          autoComplete="new-password"
          invalid={password.invalid}
          errorId={password.errorId}
          onValueChange={(v) => form.setCco('password', v)}
        />
      </Field>
      <Field id={release.id} path={release.path} label={t('release')} error={release.error}>
        <Select id={release.id} value={values.cco.release} options={releaseOptions} invalid={release.invalid} errorId={release.errorId} onValueChange={(v) => form.setCco('release', v)} />
      </Field>
      <Field id={autoCheck.id} path={autoCheck.path} label={t('autoCheck')} error={autoCheck.error}>
        <Select id={autoCheck.id} value={values.cco.autoCheck} options={autoCheckOptions} invalid={autoCheck.invalid} errorId={autoCheck.errorId} onValueChange={(v) => form.setCco('autoCheck', v)} />
      </Field>
      {values.cco.autoCheck === 'daily' && (
        <Field id={time.id} path={time.path} label={t('checkTime')} error={time.error}>
          <TextInput
            id={time.id}
            className="input-short"
            value={values.cco.autoCheckTime}
            placeholder={TIME_FORM}
            autoComplete="off"
            invalid={time.invalid}
            errorId={time.errorId}
            onValueChange={(v) => form.setCco('autoCheckTime', v)}
          />
        </Field>
      )}
      <Field id={ca.id} path={ca.path} label={t('caCertificate')} error={ca.error} hint={t('caCertificateHint')}>
        <TextArea id={ca.id} rows={3} value={values.cco.caCertificate} spellCheck={false} invalid={ca.invalid} errorId={ca.errorId} onValueChange={(v) => form.setCco('caCertificate', v)} />
      </Field>
      <Field id={fingerprint.id} path={fingerprint.path} label={t('certificateFingerprint')} error={fingerprint.error} hint={t('certificateFingerprintHint')}>
        <TextInput
          id={fingerprint.id}
          value={values.cco.certificateFingerprint}
          autoComplete="off"
          spellCheck={false}
          invalid={fingerprint.invalid}
          errorId={fingerprint.errorId}
          onValueChange={(v) => form.setCco('certificateFingerprint', v)}
        />
      </Field>
    </>
  );
}
