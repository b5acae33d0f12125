import { z } from 'zod';
import { HOST_KEY_TYPES } from './hostKeyType';
import { CCO_AUTO_CHECK, ccoSettingsInputSchema, desktopSettingsInputSchema, isHttpMode } from './httpModeSettings';
import { imageServerProblem } from './netAddress';
import { hasUnsafeText } from './validations/safeText';

export const IMAGE_DOWNLOAD_MODES = ['TFTP', 'SFTP', 'CCO', 'DESKTOP'] as const;
export type ImageDownloadMode = (typeof IMAGE_DOWNLOAD_MODES)[number];

export const PASSWORD_TYPES = ['UNENCRYPTED', 'AES'] as const;
export type PasswordType = (typeof PASSWORD_TYPES)[number];

export const SFTP_AUTH_METHODS = ['password', 'key'] as const;
export type SftpAuthMethod = (typeof SFTP_AUTH_METHODS)[number];

export const HOST_KEY_FINGERPRINT = /^SHA256:[A-Za-z0-9+/]{43}$/;

/** The modes that download from an image server of the admin's own; each keeps its own server, path and port. */
export const SERVER_MODES = ['TFTP', 'SFTP'] as const;
export type ServerMode = (typeof SERVER_MODES)[number];

export function isServerMode(mode: string): mode is ServerMode {
  return (SERVER_MODES as readonly string[]).includes(mode);
}

/** Where each server mode keeps its server, path and port in the profile, as IOS keeps `tftp-image-*` and `sftp-image-*` lines. */
export const SLOT_OF = { TFTP: 'tftp', SFTP: 'sftp' } as const satisfies Record<ServerMode, string>;
export type ServerSlotKey = (typeof SLOT_OF)[ServerMode];

export const DEFAULT_PORT: Record<ServerMode, number> = { TFTP: 69, SFTP: 22 };

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
  .union(
    [
      z.number(),
      z
        .string()
        .trim()
        .regex(/^\d{1,5}$/)
        .transform(Number),
    ],
    { error: 'Port must be a whole number between 1 and 65535' },
  )
  .pipe(z.number().int('Port must be a whole number').min(1, 'Port must be between 1 and 65535').max(65535, 'Port must be between 1 and 65535'));

const serverSlotShape = z.object({ imageServer: z.string(), imagePath: z.string(), port: z.number().int() });

/**
 * The image download profile as the server keeps it, secrets in clear (null when none stored): the one
 * definition of its shape, which the store, the run snapshot, the API's view, the audit trail and the
 * CLI derive theirs from. Plain types rather than the input rules, so that a value saved before a rule
 * existed still reads back (Export configuration then comments it out). TFTP and SFTP each keep their
 * own server, path and port: switching the mode does not touch the other mode's.
 */
export const imageDownloadProfileSchema = z.object({
  mode: z.enum(IMAGE_DOWNLOAD_MODES),
  parallelMode: z.boolean(),
  tftp: serverSlotShape,
  sftp: serverSlotShape.extend({
    username: z.string(),
    passwordType: z.enum(PASSWORD_TYPES),
    password: z.string().nullable(),
    authMethod: z.enum(SFTP_AUTH_METHODS),
    privateKey: z.string().nullable(),
    passphrase: z.string().nullable(),
    /** The host key trusted for this slot's server and port, or null. */
    hostKeyFingerprint: z.string().nullable(),
    /** Its type when it came from the server; null for a fingerprint pasted without one. */
    hostKeyType: z.enum(HOST_KEY_TYPES).nullable(),
  }),
  cco: z.object({
    catalogUrl: z.string(),
    username: z.string(),
    password: z.string().nullable(),
    release: z.string(),
    autoCheck: z.enum(CCO_AUTO_CHECK),
    autoCheckTime: z.string(),
    caCertificate: z.string(),
    certificateFingerprint: z.string(),
  }),
  desktop: z.object({ uploadId: z.string(), version: z.string() }),
});
export type ImageDownloadProfile = z.infer<typeof imageDownloadProfileSchema>;
export type ServerSlot = z.infer<typeof serverSlotShape>;

/** The profile before anyone saved one (when no demo server provides a better default). */
export const EMPTY_IMAGE_DOWNLOAD_PROFILE: ImageDownloadProfile = {
  mode: 'TFTP',
  parallelMode: false,
  tftp: { imageServer: '', imagePath: '', port: DEFAULT_PORT.TFTP },
  sftp: {
    imageServer: '',
    imagePath: '',
    port: DEFAULT_PORT.SFTP,
    username: '',
    passwordType: 'UNENCRYPTED',
    password: null,
    authMethod: 'password',
    privateKey: null,
    passphrase: null,
    hostKeyFingerprint: null,
    hostKeyType: null,
  },
  cco: { catalogUrl: '', username: '', password: null, release: 'recommended', autoCheck: 'off', autoCheckTime: '03:00', caCertificate: '', certificateFingerprint: '' },
  desktop: { uploadId: '', version: '' },
};

/** The server, path and port the selected mode downloads from; null in CCO and Desktop modes, which have no image server. */
export function serverSlotOf(profile: { mode: ImageDownloadMode; tftp: ServerSlot; sftp: ServerSlot }): ServerSlot | null {
  if (!isServerMode(profile.mode)) return null;
  const { imageServer, imagePath, port } = profile[SLOT_OF[profile.mode]];
  return { imageServer, imagePath, port };
}

const serverSlotInput = z.object({ imageServer, imagePath, port });

const sftpInput = serverSlotInput.extend({
  username: printable(z.string().trim().max(64, 'User Name is 64 characters at most'), 'User Name').refine((v) => !/\p{Zs}/u.test(v), 'User Name cannot contain spaces'),
  passwordType: z.enum(PASSWORD_TYPES, { error: 'Password Type must be UNENCRYPTED or AES' }),
  /** Empty keeps the stored password. With Password Type AES, the encrypted form this console exports. */
  password: printable(z.string().max(2048, 'Password is 2048 characters at most'), 'Password'),
  authMethod: z.enum(SFTP_AUTH_METHODS, { error: 'Authentication must be password or private key' }),
  /** An OpenSSH or PEM private key; empty keeps the stored one. */
  privateKey: z.string().max(16_384, 'The private key is 16 KiB at most'),
  passphrase: printable(z.string().max(512, 'Passphrase is 512 characters at most'), 'Passphrase'),
  /** `SHA256:…` as OpenSSH prints it; empty keeps the key trusted for the same server and port. */
  hostKeyFingerprint: z
    .string()
    .trim()
    .refine((v) => v === '' || HOST_KEY_FINGERPRINT.test(v), 'A host key fingerprint looks like SHA256: followed by 43 characters, as ssh-keygen -lf prints it'),
  /** The type of the trusted key (`ssh-rsa`, …) when it came from the server; empty for a pasted fingerprint. */
  hostKeyType: z.enum(['', ...HOST_KEY_TYPES], { error: `Host key type must be one of ${HOST_KEY_TYPES.join(', ')}` }),
});

const PROFILE_GROUPS = ['tftp', 'sftp', 'cco', 'desktop'] as const;
const TOP_LEVEL_SERVER_FIELDS = ['imageServer', 'imagePath', 'port'] as const;

const isRecord = (value: unknown): value is Record<string, unknown> => typeof value === 'object' && value !== null && !Array.isArray(value);
const withoutNulls = (record: Record<string, unknown>) => Object.fromEntries(Object.entries(record).filter(([, v]) => v !== null));

/**
 * A null names nothing (a view shows null where a mode has no value, so what GET returns can be sent
 * back); the top-level server fields are dropped from a save naming CCO or Desktop, which has no image
 * server to put them in.
 */
function namedValuesOnly(input: unknown): unknown {
  if (!isRecord(input)) return input;
  const named = withoutNulls(input);
  for (const group of PROFILE_GROUPS) if (isRecord(named[group])) named[group] = withoutNulls(named[group]);
  if (typeof named.mode === 'string' && isHttpMode(named.mode)) for (const field of TOP_LEVEL_SERVER_FIELDS) delete named[field];
  return named;
}

const profileInputObject = z.object({
  mode: z.enum(IMAGE_DOWNLOAD_MODES, { error: 'Mode must be TFTP, SFTP, CCO or DESKTOP' }).optional(),
  parallelMode: z.boolean({ error: 'Parallel Mode must be enabled or disabled' }).optional(),
  /** The selected mode's server, path and port, as before the modes kept their own: they go to that mode's slot only. */
  imageServer: imageServer.optional(),
  imagePath: imagePath.optional(),
  port: port.optional(),
  tftp: serverSlotInput.partial().optional(),
  sftp: sftpInput.partial().optional(),
  cco: ccoSettingsInputSchema.optional(),
  desktop: desktopSettingsInputSchema.optional(),
});

/**
 * What Save and Save & Download take from the page, the CLI and the API: the fields the caller names,
 * each checked here; a field left out keeps its stored value (see `lib/profilePatch.ts` for how the
 * patch is merged and what the merged profile must hold). An empty secret keeps the stored one.
 */
export const imageDownloadProfileInputSchema = z.preprocess(namedValuesOnly, profileInputObject);

// The input rules cover exactly the shape's fields, group by group: a field added to one and not the other fails to compile.
type SameKeys<A, B> = [A] extends [B] ? ([B] extends [A] ? true : false) : false;
({ tftp: true, sftp: true, cco: true, desktop: true }) satisfies {
  [G in (typeof PROFILE_GROUPS)[number]]: SameKeys<keyof NonNullable<z.output<typeof profileInputObject>[G]>, keyof ImageDownloadProfile[G]>;
};

/** What a caller sends (the schema's own input is `unknown`: it starts with a preprocess). */
export type ImageDownloadProfileInput = z.input<typeof profileInputObject>;
/** What the input schema gives: the named fields, checked and trimmed. */
export type ImageDownloadProfilePatch = z.output<typeof profileInputObject>;

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

type Sftp = ImageDownloadProfile['sftp'];
type Cco = ImageDownloadProfile['cco'];

/** What the API returns and the page receives: the profile without its secrets, which only say whether one is stored. */
export interface ImageDownloadProfileView {
  mode: ImageDownloadMode;
  /** The selected mode's server, path and port (as `tftp` or `sftp` hold them); null in CCO and Desktop modes. */
  imageServer: string | null;
  imagePath: string | null;
  port: number | null;
  parallelMode: boolean;
  tftp: ServerSlot;
  sftp: Omit<Sftp, 'password' | 'privateKey' | 'passphrase'> & { hasPassword: boolean; hasPrivateKey: boolean };
  cco: Omit<Cco, 'password'> & { hasPassword: boolean };
  desktop: ImageDownloadProfile['desktop'];
}

export function toProfileView(profile: ImageDownloadProfile): ImageDownloadProfileView {
  const { password, privateKey, passphrase: _passphrase, ...sftp } = profile.sftp;
  const { password: ccoPassword, ...cco } = profile.cco;
  const slot = serverSlotOf(profile);
  return {
    mode: profile.mode,
    imageServer: slot?.imageServer ?? null,
    imagePath: slot?.imagePath ?? null,
    port: slot?.port ?? null,
    parallelMode: profile.parallelMode,
    tftp: { ...profile.tftp },
    sftp: { ...sftp, hasPassword: password !== null, hasPrivateKey: privateKey !== null },
    cco: { ...cco, hasPassword: ccoPassword !== null },
    desktop: { ...profile.desktop },
  };
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
