'use client';

import { useFormatter, useTranslations } from 'next-intl';
import { formatMegabytes } from './format';
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

export interface DesktopFieldsProps {
  form: ProfileFormApi;
  homogeneous: boolean;
  canChange: boolean;
}

/** Desktop (HTTP) mode: the admin uploads the image file from this browser; only for a homogeneous network. */
export function DesktopFields({ form, homogeneous, canChange }: DesktopFieldsProps) {
  const t = useTranslations('desktop');
  const format = useFormatter();
  const mb = (bytes: number) => formatMegabytes(format, bytes);
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
      <Field id={file.id} path={file.path} label={t('imageFile')} required error={file.error}>
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
              label={t('uploadOf', { file: state.fileName })}
              text={t('progress', { done: mb(state.bytes), total: mb(state.total) })}
            />
            <Button className="btn-small" onClick={upload.cancel}>
              {t('cancelUpload')}
            </Button>
          </div>
        )}
        {state.phase === 'done' && (
          <>
            <p className="field-hint" data-testid="desktop-uploaded">
              {t.rich('uploaded', { file: state.fileName, size: mb(state.total), sha256: state.sha256, code: (chunks) => <code data-testid="desktop-sha256">{chunks}</code> })}
            </p>
            <UploadTrust uploadId={state.uploadId} sha256={state.sha256} trust={null} canChange={canChange} />
          </>
        )}
        {state.phase === 'idle' && stored && (
          <>
            <p className="field-hint" data-testid="desktop-stored">
              {t.rich('inUse', { file: stored.fileName, size: mb(stored.size), sha256: stored.sha256, code: (chunks) => <code>{chunks}</code> })}
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
      <Field id={version.id} path={version.path} label={t('imageVersion')} required error={version.error} hint={t('imageVersionHint')}>
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
