import type { FormEvent, ReactNode } from 'react';
import { IMAGE_DOWNLOAD_MODES, isServerMode } from '@/lib/imageDownloadProfile';
import { isHttpMode } from '@/lib/httpModeSettings';
import { Field } from '@/components/ui/Field';
import { Select } from '@/components/ui/Select';
import { Switch } from '@/components/ui/Switch';
import { fieldControl } from './profileForm';
import { HostKeyField } from './HostKeyField';
import { PortField, ServerFields } from './ServerFields';
import { SftpFields, type SftpFieldsProps } from './SftpFields';
import type { ProfileFormApi } from './useProfileForm';

// The EWC's own name for the browser upload mode.
const MODE_OPTIONS = IMAGE_DOWNLOAD_MODES.map((value) => ({ value, label: value === 'DESKTOP' ? 'Desktop (HTTP)' : value }));

export interface ProfileFormProps {
  form: ProfileFormApi;
  /** What the controller already stores; an empty secret field keeps it. */
  stored: SftpFieldsProps['stored'];
  onSubmit: () => void;
  onGetHostKey: () => void;
  /** Another request is out; the page sends one at a time. */
  blocked: boolean;
  fetchingHostKey: boolean;
  /** The action buttons, kept outside the fieldset so they follow their own enablement rules. */
  actions: ReactNode;
  /** The fields of the CCO or Desktop (HTTP) mode, which replace Image Server, Path and Port. */
  httpModeFields?: ReactNode;
}

export function ProfileForm({ form, stored, onSubmit, onGetHostKey, blocked, fetchingHostKey, actions, httpModeFields }: ProfileFormProps) {
  const { values, errors } = form;
  const handleSubmit = (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    onSubmit();
  };

  const mode = fieldControl(errors, 'mode');
  const parallel = fieldControl(errors, 'parallelMode');

  return (
    // The API's schema validates; the browser's own bubbles would pre-empt its messages.
    <form className="profile-form" noValidate onSubmit={handleSubmit} aria-label="Image download profile">
      <fieldset className="profile-fields" disabled={!form.ready} aria-busy={!form.ready || undefined}>
        <Field id={mode.id} path={mode.path} label="Mode" error={mode.error}>
          <Select id={mode.id} value={values.mode} options={MODE_OPTIONS} invalid={mode.invalid} errorId={mode.errorId} onValueChange={form.setMode} />
        </Field>
        {/* The seed's order: Image Server, Image Path, (SFTP) User Name, Password Type, Password, Port, Parallel Mode. */}
        {isServerMode(values.mode) && <ServerFields form={form} mode={values.mode} />}
        {values.mode === 'SFTP' && <SftpFields form={form} stored={stored} />}
        {isServerMode(values.mode) && <PortField form={form} mode={values.mode} />}
        <Field id={parallel.id} path={parallel.path} label="Parallel Mode" error={parallel.error}>
          <Switch id={parallel.id} checked={values.parallelMode} invalid={parallel.invalid} errorId={parallel.errorId} onCheckedChange={form.setParallelMode} />
        </Field>
        {values.mode === 'SFTP' && <HostKeyField form={form} onGetHostKey={onGetHostKey} blocked={blocked} fetching={fetchingHostKey} />}
        {isHttpMode(values.mode) && httpModeFields}
      </fieldset>
      {actions}
    </form>
  );
}
