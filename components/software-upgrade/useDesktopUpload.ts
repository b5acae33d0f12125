'use client';

import { useCallback, useRef, useState } from 'react';
import { Upload, type DetailedError } from 'tus-js-client';
import { UPLOADS_PATH } from '@/lib/httpModeSettings';

/** Each PATCH carries one chunk: a dropped connection costs at most the chunk in flight. */
const CHUNK_BYTES = 4 * 1024 * 1024;
// After a drop tus asks the server for its offset (HEAD) and goes on from there.
const RETRY_DELAYS_MS = [0, 500, 1000, 2000, 4000, 8000, 15000];

export type DesktopUploadState =
  | { phase: 'idle' }
  | { phase: 'uploading'; fileName: string; bytes: number; total: number }
  | { phase: 'done'; fileName: string; total: number; uploadId: string; sha256: string }
  | { phase: 'failed'; fileName: string; message: string };

function describeFailure(error: Error): string {
  const response = (error as DetailedError).originalResponse;
  const status = response?.getStatus() ?? 0;
  if (status === 413) return 'The file is larger than this console accepts (EWC_UPLOAD_MAX_BYTES).';
  if (status === 409 || status === 403 || status === 401) return response?.getBody() || `Refused (HTTP ${status})`;
  return `Upload failed: ${status ? `HTTP ${status}` : 'the controller did not answer'}. Choose the file again to resume.`;
}

/** A resumable, cancellable upload of one image file with tus-js-client. */
export function useDesktopUpload(onUploaded: (uploadId: string, fileName: string) => void) {
  const [state, setState] = useState<DesktopUploadState>({ phase: 'idle' });
  const current = useRef<Upload | null>(null);

  const start = useCallback(
    (file: File) => {
      const upload = new Upload(file, {
        endpoint: UPLOADS_PATH,
        chunkSize: CHUNK_BYTES,
        retryDelays: RETRY_DELAYS_MS,
        metadata: { filename: file.name },
        // Choosing the same file again after a reload continues where the server stopped.
        storeFingerprintForResuming: true,
        removeFingerprintOnSuccess: true,
        onProgress: (bytes, total) => setState({ phase: 'uploading', fileName: file.name, bytes, total }),
        onError: (error) => {
          current.current = null;
          setState({ phase: 'failed', fileName: file.name, message: describeFailure(error) });
        },
        onSuccess: ({ lastResponse }) => {
          current.current = null;
          const uploadId = (upload.url ?? '').split('/').pop() ?? '';
          const sha256 = lastResponse.getHeader('upload-sha256') ?? '';
          setState({ phase: 'done', fileName: file.name, total: file.size, uploadId, sha256 });
          onUploaded(uploadId, file.name);
        },
      });
      current.current = upload;
      setState({ phase: 'uploading', fileName: file.name, bytes: 0, total: file.size });
      void upload.findPreviousUploads().then((previous) => {
        if (previous[0]) upload.resumeFromPreviousUpload(previous[0]);
        upload.start();
      });
    },
    [onUploaded],
  );

  /** Stops the upload and deletes what the server holds of it. */
  const cancel = useCallback(() => {
    const upload = current.current;
    current.current = null;
    setState({ phase: 'idle' });
    void upload?.abort(true);
  }, []);

  return { state, start, cancel };
}
