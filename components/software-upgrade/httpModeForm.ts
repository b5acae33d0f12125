import type { CcoAutoCheck } from '@/lib/httpModeSettings';
import type { ImageDownloadProfileView } from '@/lib/imageDownloadProfile';

export interface CcoFormValues {
  catalogUrl: string;
  username: string;
  /** Typed only, never filled from the server; empty keeps the stored one. */
  password: string;
  release: string;
  autoCheck: CcoAutoCheck;
  autoCheckTime: string;
  caCertificate: string;
  certificateFingerprint: string;
}

export interface DesktopFormValues {
  uploadId: string;
  version: string;
}

export const CCO_FIELD_PATHS = ['cco.catalogUrl', 'cco.username', 'cco.password', 'cco.release', 'cco.autoCheck', 'cco.autoCheckTime', 'cco.caCertificate', 'cco.certificateFingerprint'] as const;
export const DESKTOP_FIELD_PATHS = ['desktop.uploadId', 'desktop.version'] as const;

export const EMPTY_CCO_FORM: CcoFormValues = {
  catalogUrl: '',
  username: '',
  password: '',
  release: 'recommended',
  autoCheck: 'off',
  autoCheckTime: '03:00',
  caCertificate: '',
  certificateFingerprint: '',
};
export const EMPTY_DESKTOP_FORM: DesktopFormValues = { uploadId: '', version: '' };

export function ccoFormFromProfile(profile: ImageDownloadProfileView): CcoFormValues {
  const { hasPassword: _hasPassword, ...settings } = profile.cco;
  return { ...settings, password: '' };
}
