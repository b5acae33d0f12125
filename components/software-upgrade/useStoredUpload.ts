'use client';

import { useEffect, useState } from 'react';
import { UPLOAD_IN_USE_PATH, desktopImageSchema, type DesktopImage } from '@/lib/httpModeSettings';
import { requestJson } from '@/components/api/jsonRequest';

/** The uploaded image the saved profile uses, as the console describes it (with the admin's trust of it); null while unknown or when there is none. */
export function useStoredUpload(uploadId: string): DesktopImage | null {
  const [image, setImage] = useState<DesktopImage | null>(null);
  useEffect(() => {
    if (!uploadId) return;
    let current = true;
    void requestJson('GET', UPLOAD_IN_USE_PATH, desktopImageSchema).then((answer) => {
      if (current) setImage(answer.ok && answer.data.uploadId === uploadId ? answer.data : null);
    });
    return () => {
      current = false;
    };
  }, [uploadId]);
  return uploadId && image?.uploadId === uploadId ? image : null;
}
