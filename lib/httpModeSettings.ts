import { z } from 'zod';
import { catalogHostProblem } from './netAddress';
import { CERTIFICATE_FINGERPRINT, RELEASE_VERSION } from './firmwareCatalog';

/** The two modes that fetch over HTTP(S) instead of from an image server of the admin's own. */
export const HTTP_MODES = ['CCO', 'DESKTOP'] as const;
export type HttpMode = (typeof HTTP_MODES)[number];

export function isHttpMode(mode: string): mode is HttpMode {
  return (HTTP_MODES as readonly string[]).includes(mode);
}

export const CCO_RELEASE_CHOICES = ['recommended', 'latest'] as const;
export const CCO_AUTO_CHECK = ['off', 'daily'] as const;
export type CcoAutoCheck = (typeof CCO_AUTO_CHECK)[number];

const noControlChars = (v: string) => !/[\u0000-\u001f\u007f]/.test(v);

/**
 * The catalog URL's host against the address rules; loopback is decided by the console's
 * EWC_CATALOG_ALLOW_LOOPBACK (server/http/httpModeChecks.ts), which this schema cannot see.
 */
function catalogUrlHostProblem(value: string): string | null {
  try {
    return catalogHostProblem(new URL(value).hostname, { allowLoopback: true });
  } catch {
    return null;
  }
}

function isHttpsUrl(value: string): boolean {
  try {
    const url = new URL(value);
    return url.protocol === 'https:' && url.hostname !== '' && url.username === '' && url.password === '' && url.search === '' && url.hash === '';
  } catch {
    return false;
  }
}

/**
 * The CCO settings as a save names them: each may be left out, and one left out keeps its stored
 * value. No defaults here: a default would name a field the caller did not.
 */
export const ccoSettingsInputSchema = z
  .object({
    catalogUrl: z
      .string()
      .trim()
      .max(512, 'Catalog URL is 512 characters at most')
      .refine((v) => v === '' || isHttpsUrl(v), 'Catalog URL must be an https:// URL without user, query or fragment, e.g. https://catalog.example.com/ewc')
      .superRefine((v, ctx) => {
        const problem = v === '' ? null : catalogUrlHostProblem(v);
        if (problem) ctx.addIssue({ code: 'custom', message: problem });
      }),
    username: z.string().trim().max(64, 'User Name is 64 characters at most').refine(noControlChars, 'User Name cannot contain control characters'),
    /** Password or API key; empty or missing keeps the stored one. */
    password: z.string().max(512, 'Password or API key is 512 characters at most'),
    /** `recommended`, `latest`, or one version the catalog lists. */
    release: z
      .string()
      .trim()
      .refine((v) => (CCO_RELEASE_CHOICES as readonly string[]).includes(v) || RELEASE_VERSION.test(v), 'Release must be recommended, latest or a version such as 17.12.1.5'),
    autoCheck: z.enum(CCO_AUTO_CHECK, { error: 'Automatic check must be off or daily' }),
    autoCheckTime: z
      .string()
      .trim()
      .regex(/^([01]\d|2[0-3]):[0-5]\d$/, 'Check time is HH:MM, 00:00 to 23:59'),
    /** A PEM CA the admin provides, trusted besides the system's store; empty for the system's store only. */
    caCertificate: z
      .string()
      .trim()
      .max(16_384, 'The CA certificate is 16 KiB at most')
      .refine((v) => v === '' || /^-----BEGIN CERTIFICATE-----[\s\S]+-----END CERTIFICATE-----$/.test(v), 'Paste a PEM certificate (-----BEGIN CERTIFICATE----- …)'),
    /** A certificate trusted once by its SHA-256 fingerprint, as SSH host keys are; empty keeps the one trusted for the same catalog URL. */
    certificateFingerprint: z
      .string()
      .trim()
      .toUpperCase()
      .refine((v) => v === '' || CERTIFICATE_FINGERPRINT.test(v), 'A certificate fingerprint is 32 bytes as AB:CD:…, as openssl x509 -fingerprint -sha256 prints it'),
  })
  .partial();

/** The uploaded image of Desktop (HTTP) mode and the AP image version it holds, as a save names them. */
export const desktopSettingsInputSchema = z
  .object({
    uploadId: z
      .string()
      .trim()
      .regex(/^[A-Za-z0-9_-]{0,128}$/, 'Upload the image file first'),
    version: z
      .string()
      .trim()
      .refine((v) => v === '' || RELEASE_VERSION.test(v), 'Image Version looks like 17.12.1.5'),
  })
  .partial();

/** Reads a version out of an image file name, as Cisco names them (`ap1g7_17.12.1.5`, `AIR-AP1G7-K9-17-12-1-5.bin`). */
export function versionFromFileName(name: string): string {
  const dotted = /(?<![\d.])(\d+)\.(\d+)\.(\d+)\.(\d+)/.exec(name);
  if (dotted) return dotted.slice(1).join('.');
  // One separator throughout, so a model number (`K9-17-12-1-5`) does not count as a part.
  const separated = /(?<!\d)(\d{2})([_-])(\d+)\2(\d+)\2(\d+)(?!\d)/.exec(name);
  return separated ? [separated[1], separated[3], separated[4], separated[5]].join('.') : '';
}

/** The controller's banner words when the APs run more than one image type: Desktop (HTTP) mode serves one image only. */
export const NON_HOMOGENEOUS_MESSAGE = 'Wireless network is Non-Homogeneous. Desktop (HTTP) mode is not supported.';

/** Homogeneous: every AP of one image type (or no AP yet). */
export function isHomogeneous(imageTypes: Iterable<string>): boolean {
  return new Set(imageTypes).size <= 1;
}

/** Where the browser uploads Desktop (HTTP) images with the tus protocol. */
export const UPLOADS_PATH = '/api/uploads';
/** `GET`: the uploaded image the saved profile uses (`UploadedImage`), 404 when none. */
export const UPLOAD_IN_USE_PATH = `${UPLOADS_PATH}/in-use`;

export function isUploadPath(url: string): boolean {
  return url === UPLOADS_PATH || url.startsWith(`${UPLOADS_PATH}/`) || url.startsWith(`${UPLOADS_PATH}?`);
}

/** What the console answers when an upload is complete: the file as it will be delivered. */
export const uploadedImageSchema = z.object({ uploadId: z.string(), fileName: z.string(), size: z.number(), sha256: z.string().regex(/^[0-9a-f]{64}$/) });
export type UploadedImage = z.infer<typeof uploadedImageSchema>;

/**
 * An upload with the admin's decision about it: an upload carries no vendor signature, so with
 * EWC_REQUIRE_SIGNED_IMAGES=ask or 1 it is delivered only once an admin trusted its SHA-256 (`trust`, null until then).
 */
export const desktopImageSchema = uploadedImageSchema.extend({ trust: z.object({ trustedBy: z.string(), trustedAt: z.string() }).nullable() });
export type DesktopImage = z.infer<typeof desktopImageSchema>;

/** `POST`: trust the uploaded image `{ uploadId, sha256 }`, the digest as the page showed it; answers the `DesktopImage`. */
export const TRUST_UPLOAD_PATH = '/api/image-download-profile/trust-upload';
/** A SHA-256 as an admin copies it to trust a file: 64 hexadecimal digits, either case. */
export const sha256Schema = z
  .string()
  .trim()
  .toLowerCase()
  .regex(/^[0-9a-f]{64}$/, 'A SHA-256 is 64 hexadecimal digits');
export const trustUploadSchema = z.object({
  uploadId: z.string().regex(/^[A-Za-z0-9_-]{1,128}$/, 'Upload the image file first'),
  sha256: sha256Schema,
});
