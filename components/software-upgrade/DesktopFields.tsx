'use client';

import { useCallback } from 'react';
import { versionFromFileName } from '@/lib/httpModeSettings';
import { Button } from '@/components/ui/Button';
import { Field } from '@/components/ui/Field';
import { ProgressBar } from '@/components/ui/ProgressBar';
import { TextInput } from '@/components/ui/TextInput';
import { fieldControl } from './profileForm';
import { HomogeneityBanner } from './HomogeneityBanner';
import { useDesktopUpload } from './useDesktopUpload';
import { UploadTrust } from './UploadTrust';
import { useStoredUpload } from './useStoredUpload';
import type { ProfileFormApi } from './useProfileForm';

const MB = 1_000_000;

export interface DesktopFieldsProps {
  form: ProfileFormApi;
  homogeneous: boolean;
  canChange: boolean;
}

/** Desktop (HTTP) mode: the admin uploads the image file from this browser; only for a homogeneous network. */
export function DesktopFields({ form, homogeneous, canChange }: DesktopFieldsProps) {
  const { values, errors, setDesktop } = form;
  const onUploaded = useCallback(
    (uploadId: string, fileName: string) => {
      setDesktop('uploadId', uploadId);
      const version = versionFromFileName(fileName);
      if (version && !values.desktop.version) setDesktop('version', version);
    },
    [setDesktop, values.desktop.version],
  );
  const upload = useDesktopUpload(onUploaded);
  const stored = useStoredUpload(upload.state.phase === 'idle' ? values.desktop.uploadId : '');
  const file = fieldControl(errors, 'desktop.uploadId');
  const version = fieldControl(errors, 'desktop.version');
  const { state } = upload;

  // The controller's own warning, where Desktop mode is chosen: the only place it matters.
  if (!homogeneous) return <HomogeneityBanner homogeneous={false} />;
  return (
    <>
      <Field id={file.id} path={file.path} label="Image File" required error={file.error}>
        <input
          id={file.id}
          type="file"
          className="input"
          disabled={!canChange || state.phase === 'uploading'}
          aria-invalid={file.invalid || undefined}
          aria-describedby={file.invalid ? file.errorId : undefined}
          onChange={(event) => {
            const chosen = event.target.files?.[0];
            if (chosen) upload.start(chosen);
          }}
        />
        {state.phase === 'uploading' && (
          <div className="desktop-upload" data-testid="desktop-upload-progress">
            <ProgressBar
              value={(state.bytes / Math.max(1, state.total)) * 100}
              label={`Upload of ${state.fileName}`}
              text={`${(state.bytes / MB).toFixed(1)} of ${(state.total / MB).toFixed(1)} MB`}
            />
            <Button className="btn-small" onClick={upload.cancel}>
              Cancel upload
            </Button>
          </div>
        )}
        {state.phase === 'done' && (
          <>
            <p className="field-hint" data-testid="desktop-uploaded">
              Uploaded {state.fileName} ({(state.total / MB).toFixed(1)} MB), SHA-256 <code data-testid="desktop-sha256">{state.sha256}</code>
            </p>
            <UploadTrust uploadId={state.uploadId} sha256={state.sha256} trust={null} canChange={canChange} />
          </>
        )}
        {state.phase === 'idle' && stored && (
          <>
            <p className="field-hint" data-testid="desktop-stored">
              In use: {stored.fileName} ({(stored.size / MB).toFixed(1)} MB), SHA-256 <code>{stored.sha256}</code>. Choose a file to replace it.
            </p>
            <UploadTrust uploadId={stored.uploadId} sha256={stored.sha256} trust={stored.trust} canChange={canChange} />
          </>
        )}
        {state.phase === 'failed' && (
          <p className="field-error" role="alert" data-testid="desktop-upload-error">
            {state.message}
          </p>
        )}
      </Field>
      <Field id={version.id} path={version.path} label="Image Version" required error={version.error} hint="The AP image version of the file; read from its name when it holds one.">
        <TextInput
          id={version.id}
          className="input-short"
          value={values.desktop.version}
          placeholder="17.12.1.5"
          autoComplete="off"
          invalid={version.invalid}
          errorId={version.errorId}
          onValueChange={(v) => setDesktop('version', v)}
        />
      </Field>
    </>
  );
}
