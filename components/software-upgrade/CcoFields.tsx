import { CCO_AUTO_CHECK, CCO_RELEASE_CHOICES } from '@/lib/httpModeSettings';
import { Field } from '@/components/ui/Field';
import { Select, type SelectOption } from '@/components/ui/Select';
import { TextArea } from '@/components/ui/TextArea';
import { TextInput } from '@/components/ui/TextInput';
import { fieldControl } from './profileForm';
import type { ProfileFormApi } from './useProfileForm';

const AUTO_CHECK_LABELS: Record<(typeof CCO_AUTO_CHECK)[number], string> = { off: 'Off', daily: 'Daily' };
const AUTO_CHECK_OPTIONS = CCO_AUTO_CHECK.map((value) => ({ value, label: AUTO_CHECK_LABELS[value] }));

export interface CcoFieldsProps {
  form: ProfileFormApi;
  hasPassword: boolean;
  /** Versions the last check found, offered besides recommended and latest. */
  knownVersions: readonly string[];
}

/** CCO mode: where the firmware catalog is, who logs in, which release to install and when to check. */
export function CcoFields({ form, hasPassword, knownVersions }: CcoFieldsProps) {
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
  const releaseOptions: SelectOption<string>[] = [{ value: 'recommended', label: 'Recommended' }, { value: 'latest', label: 'Latest' }, ...versions.map((v) => ({ value: v, label: v }))];

  return (
    <>
      <Field id={url.id} path={url.path} label="Catalog URL" required error={url.error}>
        <TextInput
          id={url.id}
          value={values.cco.catalogUrl}
          placeholder="https://catalog.example.com"
          autoComplete="off"
          spellCheck={false}
          aria-required="true"
          invalid={url.invalid}
          errorId={url.errorId}
          onValueChange={(v) => form.setCco('catalogUrl', v)}
        />
      </Field>
      <Field id={user.id} path={user.path} label="Account User Name" required error={user.error}>
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
      <Field id={password.id} path={password.path} label="Password or API Key" required={!hasPassword} error={password.error}>
        <TextInput
          id={password.id}
          type="password"
          value={values.cco.password}
          placeholder={hasPassword ? 'A key is set; leave empty to keep it' : ''}
          autoComplete="new-password"
          invalid={password.invalid}
          errorId={password.errorId}
          onValueChange={(v) => form.setCco('password', v)}
        />
      </Field>
      <Field id={release.id} path={release.path} label="Release" error={release.error}>
        <Select id={release.id} value={values.cco.release} options={releaseOptions} invalid={release.invalid} errorId={release.errorId} onValueChange={(v) => form.setCco('release', v)} />
      </Field>
      <Field id={autoCheck.id} path={autoCheck.path} label="Automatic Check" error={autoCheck.error}>
        <Select
          id={autoCheck.id}
          value={values.cco.autoCheck}
          options={AUTO_CHECK_OPTIONS}
          invalid={autoCheck.invalid}
          errorId={autoCheck.errorId}
          onValueChange={(v) => form.setCco('autoCheck', v)}
        />
      </Field>
      {values.cco.autoCheck === 'daily' && (
        <Field id={time.id} path={time.path} label="Check Time" error={time.error}>
          <TextInput
            id={time.id}
            className="input-short"
            value={values.cco.autoCheckTime}
            placeholder="03:00"
            autoComplete="off"
            invalid={time.invalid}
            errorId={time.errorId}
            onValueChange={(v) => form.setCco('autoCheckTime', v)}
          />
        </Field>
      )}
      <Field id={ca.id} path={ca.path} label="CA Certificate" error={ca.error} hint="PEM of a CA trusted besides the system's store; empty for the system's store only.">
        <TextArea id={ca.id} rows={3} value={values.cco.caCertificate} spellCheck={false} invalid={ca.invalid} errorId={ca.errorId} onValueChange={(v) => form.setCco('caCertificate', v)} />
      </Field>
      <Field id={fingerprint.id} path={fingerprint.path} label="Certificate Fingerprint" error={fingerprint.error} hint="A certificate trusted once by its SHA-256 fingerprint (AB:CD:…).">
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
