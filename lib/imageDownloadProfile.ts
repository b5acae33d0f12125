import { z } from 'zod';
import { ccoSettingsSchema, desktopSettingsSchema, withHttpModePlaceholders, type CcoAutoCheck } from './httpModeSettings';

export const IMAGE_DOWNLOAD_MODES = ['TFTP', 'SFTP', 'CCO', 'DESKTOP'] as const;
export type ImageDownloadMode = (typeof IMAGE_DOWNLOAD_MODES)[number];

export const PASSWORD_TYPES = ['UNENCRYPTED', 'AES'] as const;
export type PasswordType = (typeof PASSWORD_TYPES)[number];

export const SFTP_AUTH_METHODS = ['password', 'key'] as const;
export type SftpAuthMethod = (typeof SFTP_AUTH_METHODS)[number];

export const HOST_KEY_FINGERPRINT = /^SHA256:[A-Za-z0-9+/]{43}$/;

export const DEFAULT_PORT: Record<ImageDownloadMode, number> = { TFTP: 69, SFTP: 22, CCO: 443, DESKTOP: 443 };

const IPV4 = /^(25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)(\.(25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)){3}$/;
// RFC 1123 host name: labels of letters, digits and inner hyphens, 253 characters at most.
const HOST_NAME = /^(?=.{1,253}$)([a-zA-Z0-9]([a-zA-Z0-9-]{0,61}[a-zA-Z0-9])?)(\.[a-zA-Z0-9]([a-zA-Z0-9-]{0,61}[a-zA-Z0-9])?)*$/;

function isIpv6(value: string): boolean {
  const inner = value.startsWith('[') && value.endsWith(']') ? value.slice(1, -1) : value;
  if (!/^[0-9a-fA-F:.]+$/.test(inner) || !inner.includes(':')) return false;
  const doubleColons = inner.split('::').length - 1;
  if (doubleColons > 1) return false;
  const groups = inner.split(':').filter((g) => g !== '');
  return groups.length <= 8 && groups.every((g) => /^[0-9a-fA-F]{1,4}$/.test(g) || IPV4.test(g));
}

export function isImageServerAddress(value: string): boolean {
  if (IPV4.test(value) || isIpv6(value)) return true;
  // A dotted quad that is not a valid IPv4 address is a typo, not a host name.
  if (/^[\d.]+$/.test(value)) return false;
  return HOST_NAME.test(value);
}

const imageServer = z
  .string({ error: 'Image Server is required' })
  .trim()
  .min(1, 'Image Server is required')
  .refine(isImageServerAddress, 'Enter an IPv4 or IPv6 address or a host name');

const imagePath = z
  .string({ error: 'Image Path is required' })
  .trim()
  .min(1, 'Image Path is required')
  .max(255, 'Image Path is 255 characters at most')
  .refine((p) => !/[\u0000-\u001f\u007f]/.test(p), 'Image Path cannot contain control characters')
  .refine((p) => !p.split('/').includes('..'), 'Image Path cannot contain ".."');

const port = z.coerce
  .number({ error: 'Port must be a number' })
  .int('Port must be a whole number')
  .min(1, 'Port must be between 1 and 65535')
  .max(65535, 'Port must be between 1 and 65535');

/**
 * What the form sends and the API accepts on Save and Save & Download.
 * An empty or missing SFTP password keeps the one already stored.
 */
export const imageDownloadProfileInputSchema = z
  .preprocess(
    withHttpModePlaceholders,
    z.object({
    mode: z.enum(IMAGE_DOWNLOAD_MODES, { error: 'Mode must be TFTP, SFTP, CCO or DESKTOP' }),
    imageServer,
    imagePath,
    port,
    parallelMode: z.boolean({ error: 'Parallel Mode must be enabled or disabled' }),
    sftp: z
      .object({
        username: z.string().trim().max(64, 'User Name is 64 characters at most').default(''),
        passwordType: z.enum(PASSWORD_TYPES, { error: 'Password Type must be UNENCRYPTED or AES' }).default('UNENCRYPTED'),
        /** Empty or missing keeps the stored password. With Password Type AES, the encrypted form this console exports. */
        password: z.string().max(2048, 'Password is 2048 characters at most').optional(),
        authMethod: z.enum(SFTP_AUTH_METHODS, { error: 'Authentication must be password or private key' }).default('password'),
        /** An OpenSSH or PEM private key; empty or missing keeps the stored one. */
        privateKey: z.string().max(16_384, 'The private key is 16 KiB at most').optional(),
        passphrase: z.string().max(512, 'Passphrase is 512 characters at most').optional(),
        /** The trusted host key, `SHA256:…` as OpenSSH prints it; empty when not trusted yet. */
        hostKeyFingerprint: z
          .string()
          .trim()
          .refine((v) => v === '' || HOST_KEY_FINGERPRINT.test(v), 'A host key fingerprint looks like SHA256: followed by 43 characters, as ssh-keygen -lf prints it')
          .default(''),
      })
      .default({ username: '', passwordType: 'UNENCRYPTED', authMethod: 'password', hostKeyFingerprint: '' }),
    cco: ccoSettingsSchema,
    desktop: desktopSettingsSchema,
  }),
  )
  .superRefine((profile, ctx) => {
    if (profile.mode === 'SFTP' && profile.sftp.username === '') {
      ctx.addIssue({ code: 'custom', path: ['sftp', 'username'], message: 'User Name is required in SFTP mode' });
    }
    if (profile.mode === 'CCO' && profile.cco.catalogUrl === '') {
      ctx.addIssue({ code: 'custom', path: ['cco', 'catalogUrl'], message: 'Catalog URL is required in CCO mode' });
    }
    if (profile.mode === 'CCO' && profile.cco.username === '') {
      ctx.addIssue({ code: 'custom', path: ['cco', 'username'], message: 'User Name is required in CCO mode' });
    }
    if (profile.mode === 'DESKTOP' && profile.desktop.uploadId === '') {
      ctx.addIssue({ code: 'custom', path: ['desktop', 'uploadId'], message: 'Upload the image file first' });
    }
    if (profile.mode === 'DESKTOP' && profile.desktop.version === '') {
      ctx.addIssue({ code: 'custom', path: ['desktop', 'version'], message: 'Image Version is required in Desktop mode' });
    }
  });

/** Asks the image server for its host key before trusting it: `POST /api/image-download-profile/host-key`. */
export const hostKeyRequestSchema = z.object({
  imageServer,
  port,
});

export interface HostKeyInfo {
  host: string;
  port: number;
  fingerprint: string;
  keyType: string;
}

/** The 409 body of Save & Download in SFTP mode when the server's host key is not trusted yet. */
export interface HostKeyChallengeBody {
  error: string;
  hostKey: HostKeyInfo;
}

// The schema's own input is `unknown` (it starts with a preprocess); what the form sends is the object's input.
export type ImageDownloadProfileInput = z.input<typeof imageDownloadProfileInputSchema.out>;
export type ImageDownloadProfileData = z.output<typeof imageDownloadProfileInputSchema>;

/** What the API returns: the password itself never leaves the server. */
export interface ImageDownloadProfileView {
  mode: ImageDownloadMode;
  imageServer: string;
  imagePath: string;
  port: number;
  parallelMode: boolean;
  sftp: {
    username: string;
    passwordType: PasswordType;
    hasPassword: boolean;
    authMethod: SftpAuthMethod;
    hasPrivateKey: boolean;
    /** The trusted host key of `imageServer:port`, or null until someone trusts one. */
    hostKeyFingerprint: string | null;
  };
  /** Absent from a controller still on the previous schema. */
  cco?: {
    catalogUrl: string;
    username: string;
    hasPassword: boolean;
    release: string;
    autoCheck: CcoAutoCheck;
    autoCheckTime: string;
    caCertificate: string;
    certificateFingerprint: string;
  };
  desktop?: { uploadId: string; version: string };
}

export interface FieldIssue {
  path: string;
  message: string;
}

/** The 400 body of every endpoint that validates input. */
export interface ValidationErrorBody {
  error: string;
  issues: FieldIssue[];
}

export function toFieldIssues(error: z.ZodError): FieldIssue[] {
  return error.issues.map((issue) => ({ path: issue.path.join('.'), message: issue.message }));
}
