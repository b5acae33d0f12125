import { z } from 'zod';
import { HOST_KEY_TYPES, type HostKeyType } from './hostKeyType';
import { ccoSettingsSchema, desktopSettingsSchema, withHttpModePlaceholders, type CcoAutoCheck } from './httpModeSettings';
import { imageServerProblem } from './netAddress';
import { hasUnsafeText } from './validations/safeText';

export const IMAGE_DOWNLOAD_MODES = ['TFTP', 'SFTP', 'CCO', 'DESKTOP'] as const;
export type ImageDownloadMode = (typeof IMAGE_DOWNLOAD_MODES)[number];

export const PASSWORD_TYPES = ['UNENCRYPTED', 'AES'] as const;
export type PasswordType = (typeof PASSWORD_TYPES)[number];

export const SFTP_AUTH_METHODS = ['password', 'key'] as const;
export type SftpAuthMethod = (typeof SFTP_AUTH_METHODS)[number];

export const HOST_KEY_FINGERPRINT = /^SHA256:[A-Za-z0-9+/]{43}$/;

export const DEFAULT_PORT: Record<ImageDownloadMode, number> = { TFTP: 69, SFTP: 22, CCO: 443, DESKTOP: 443 };

/** A text field refusing control, line-separator and direction-changing characters, as IOS-XE refuses them in its configuration. */
function printable(schema: z.ZodString, label: string) {
  return schema.refine((v) => !hasUnsafeText(v), `${label} cannot contain control, line-break or text-direction characters`);
}

const imageServer = z
  .string({ error: 'Image Server is required' })
  .trim()
  .min(1, 'Image Server is required')
  .superRefine((value, ctx) => {
    const problem = imageServerProblem(value);
    if (problem) ctx.addIssue({ code: 'custom', message: problem });
  });

const imagePath = z
  .string({ error: 'Image Path is required' })
  .trim()
  .min(1, 'Image Path is required')
  .max(255, 'Image Path is 255 characters at most')
  .refine((p) => !hasUnsafeText(p), 'Image Path cannot contain control, line-break or text-direction characters')
  .refine((p) => !p.split('/').includes('..'), 'Image Path cannot contain ".."');

// A JSON number, or the decimal digits the form's text field holds; never `true`, `[69]` or `"0x45"`,
// which a plain coercion to number would quietly turn into ports.
const port = z
  .union([z.number(), z.string().trim().regex(/^\d{1,5}$/).transform(Number)], { error: 'Port must be a whole number between 1 and 65535' })
  .pipe(z.number().int('Port must be a whole number').min(1, 'Port must be between 1 and 65535').max(65535, 'Port must be between 1 and 65535'));

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
        username: printable(z.string().trim().max(64, 'User Name is 64 characters at most'), 'User Name')
          .refine((v) => !/\p{Zs}/u.test(v), 'User Name cannot contain spaces')
          .default(''),
        passwordType: z.enum(PASSWORD_TYPES, { error: 'Password Type must be UNENCRYPTED or AES' }).default('UNENCRYPTED'),
        /** Empty or missing keeps the stored password. With Password Type AES, the encrypted form this console exports. */
        password: printable(z.string().max(2048, 'Password is 2048 characters at most'), 'Password').optional(),
        authMethod: z.enum(SFTP_AUTH_METHODS, { error: 'Authentication must be password or private key' }).default('password'),
        /** An OpenSSH or PEM private key; empty or missing keeps the stored one. */
        privateKey: z.string().max(16_384, 'The private key is 16 KiB at most').optional(),
        passphrase: printable(z.string().max(512, 'Passphrase is 512 characters at most'), 'Passphrase').optional(),
        /** The trusted host key, `SHA256:…` as OpenSSH prints it; empty when not trusted yet. */
        hostKeyFingerprint: z
          .string()
          .trim()
          .refine((v) => v === '' || HOST_KEY_FINGERPRINT.test(v), 'A host key fingerprint looks like SHA256: followed by 43 characters, as ssh-keygen -lf prints it')
          .default(''),
        /** The type of the trusted key (`ssh-rsa`, …) when it came from the server; empty for a pasted fingerprint. */
        hostKeyType: z.enum(['', ...HOST_KEY_TYPES], { error: `Host key type must be one of ${HOST_KEY_TYPES.join(', ')}` }).optional(),
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
    /** Its type, or null when it was pasted without one (the download then finds which key it is). */
    hostKeyType?: HostKeyType | null;
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
