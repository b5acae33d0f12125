'use client';

import { useEffect, useState } from 'react';
import { UPLOAD_IN_USE_PATH, uploadedImageSchema, type UploadedImage } from '@/lib/httpModeSettings';
import { requestJson } from '@/components/api/jsonRequest';

/** The uploaded image the saved profile uses, as the console describes it; null while unknown or when there is none. */
export function useStoredUpload(uploadId: string): UploadedImage | null {
  const [image, setImage] = useState<UploadedImage | null>(null);
  useEffect(() => {
    if (!uploadId) return;
    let current = true;
    void requestJson('GET', UPLOAD_IN_USE_PATH, uploadedImageSchema).then((answer) => {
      if (current) setImage(answer.ok && answer.data.uploadId === uploadId ? answer.data : null);
    });
    return () => {
      current = false;
    };
  }, [uploadId]);
  return uploadId && image?.uploadId === uploadId ? image : null;
}
