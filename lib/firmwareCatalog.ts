import { z } from 'zod';
import { sentenceSchema } from './serverSentences';

/**
 * The firmware catalog protocol, modelled on the exchange an Aruba cluster has with its
 * vendor's firmware service (seed `aruba-iap-automatic-upgrade.en.txt`):
 *
 * 1. `GET /firmware/challenge` answers a fresh random challenge and a session id
 *    (also in the `X-Challenge` and `X-Session-Id` headers).
 * 2. `POST /firmware` with `X-Type: firmware-check`, `X-Session-Id`, `X-Account`,
 *    `X-Current-Version` and `X-Challenge-Hash`, and the controller's identity as the seed's IAP
 *    sends its own: `X-Guid`, `X-OEM-Tag`, `X-Mode: EWC`, `X-Factory-Default`, `X-Features` and
 *    `X-Ap-Info: serial, MAC, model` (the AP that hosts the controller); the body carries one AP
 *    (serial, MAC, model) per image type. `X-Challenge-Hash` is the HMAC-SHA256, keyed
 *    with the account's password or API key, of `challenge \n sessionId \n sha256(body)`:
 *    the key never crosses the wire and the answer cannot be replayed on another body.
 *    A catalog refuses a check without the identity headers (400).
 * 3. The answer carries `X-Type: firmware-check`, `X-Status-Code: success`, `X-Session-Id` and the
 *    controller's `X-Activation-Key` as headers (the client refuses an answer without them), and
 *    lists, per image type, the latest and the recommended release with their files,
 *    and with each release the vendor's signature manifest (`image-manifest.json` and its Ed25519
 *    signature, as a signed bundle carries them beside its files; see server/imageSigning), which
 *    the console and each AP verify before an image is delivered or staged.
 * Everything in an answer is untrusted text: it is parsed with these schemas and escaped before it is shown.
 */
export const CATALOG_PATHS = { challenge: '/firmware/challenge', check: '/firmware' } as const;
export const CATALOG_HEADERS = {
  challenge: 'x-challenge',
  sessionId: 'x-session-id',
  type: 'x-type',
  account: 'x-account',
  currentVersion: 'x-current-version',
  apInfo: 'x-ap-info',
  challengeHash: 'x-challenge-hash',
  guid: 'x-guid',
  oemTag: 'x-oem-tag',
  mode: 'x-mode',
  factoryDefault: 'x-factory-default',
  features: 'x-features',
  activationKey: 'x-activation-key',
  statusCode: 'x-status-code',
} as const;
export const FIRMWARE_CHECK_TYPE = 'firmware-check';
export const FIRMWARE_CHECK_SUCCESS = 'success';

/**
 * `X-Features`: one digit per feature, `1` when the controller has it on, in this order: it verifies
 * vendor-signed manifests (always, in this console), it refuses unsigned images (`EWC_REQUIRE_SIGNED_IMAGES=1`),
 * it resumes downloads with `Range` (always).
 */
export const CATALOG_FEATURES = ['signed-manifests', 'signed-images-required', 'range-resume'] as const;
export type CatalogFeature = (typeof CATALOG_FEATURES)[number];

export function featureBits(on: ReadonlySet<CatalogFeature>): string {
  return CATALOG_FEATURES.map((feature) => (on.has(feature) ? '1' : '0')).join('');
}

const SHA256_HEX = /^[0-9a-f]{64}$/;
/** AP image versions as the EWC prints them: `17.12.1.5`. */
export const RELEASE_VERSION = /^\d+(\.\d+){1,4}[a-z]?$/;

export const challengeResponseSchema = z.object({
  challenge: z.string().regex(/^[A-Za-z0-9+/=]{16,128}$/),
  sessionId: z.string().regex(/^[A-Za-z0-9_-]{8,128}$/),
  expiresAt: z.string(),
});
export type ChallengeResponse = z.infer<typeof challengeResponseSchema>;

export const catalogApInfoSchema = z.object({
  serial: z.string().min(1).max(64),
  mac: z.string().min(1).max(32),
  model: z.string().min(1).max(64),
});
export type CatalogApInfo = z.infer<typeof catalogApInfoSchema>;

/** `X-Ap-Info` when no AP that hosts the controller has joined: IOS's "not applicable". */
export const NO_CONTROLLER_AP = 'NA, NA, NA';

/** The controller's identity in a firmware check's headers, as the Aruba seed's IAP sends its own. */
export interface ControllerIdentity {
  /** A stable id of this controller: 50 hex digits, as long as the seed's. */
  guid: string;
  oemTag: string;
  mode: 'EWC';
  /** The controller runs on its defaults: no image download profile was ever saved. */
  factoryDefault: boolean;
  /** `featureBits(…)`. */
  features: string;
  /** The AP that hosts the controller, or null before it joined. */
  controllerAp: CatalogApInfo | null;
}

// Each field of X-Ap-Info: printable, no comma (the header's separator).
const AP_INFO_FIELD = /^[^,\s][^,]{0,63}$/;

export function apInfoHeader(ap: CatalogApInfo | null): string {
  return ap ? `${ap.serial}, ${ap.mac}, ${ap.model}` : NO_CONTROLLER_AP;
}

export function identityHeaders(identity: ControllerIdentity): Record<string, string> {
  return {
    [CATALOG_HEADERS.guid]: identity.guid,
    [CATALOG_HEADERS.oemTag]: identity.oemTag,
    [CATALOG_HEADERS.mode]: identity.mode,
    [CATALOG_HEADERS.factoryDefault]: identity.factoryDefault ? 'Yes' : 'No',
    [CATALOG_HEADERS.features]: identity.features,
    [CATALOG_HEADERS.apInfo]: apInfoHeader(identity.controllerAp),
  };
}

/** What a catalog checks of the identity headers of a firmware check (header names in lower case, as Node gives them). */
export const identityHeadersSchema = z.object({
  [CATALOG_HEADERS.guid]: z.string({ message: 'X-Guid is missing' }).regex(/^[0-9a-f]{32,64}$/, 'X-Guid is 32 to 64 hex digits'),
  [CATALOG_HEADERS.oemTag]: z.string({ message: 'X-OEM-Tag is missing' }).regex(/^[A-Za-z0-9-]{1,32}$/, 'X-OEM-Tag is a word'),
  [CATALOG_HEADERS.mode]: z.enum(['EWC', 'IAP'], { message: 'X-Mode is EWC or IAP' }),
  [CATALOG_HEADERS.factoryDefault]: z.enum(['Yes', 'No'], { message: 'X-Factory-Default is Yes or No' }),
  [CATALOG_HEADERS.features]: z.string({ message: 'X-Features is missing' }).regex(/^[01]{1,64}$/, 'X-Features is a string of 0 and 1'),
  [CATALOG_HEADERS.apInfo]: z
    .string({ message: 'X-Ap-Info is missing' })
    .refine((value) => value === NO_CONTROLLER_AP || (value.split(', ').length === 3 && value.split(', ').every((field) => AP_INFO_FIELD.test(field))), 'X-Ap-Info is "serial, MAC, model"'),
});

/** The answer's headers a controller requires (lower case, as Node gives them). */
export const checkAnswerHeadersSchema = z.object({
  [CATALOG_HEADERS.type]: z.literal(FIRMWARE_CHECK_TYPE, { message: `X-Type is not ${FIRMWARE_CHECK_TYPE}` }),
  [CATALOG_HEADERS.statusCode]: z.literal(FIRMWARE_CHECK_SUCCESS, { message: `X-Status-Code is not ${FIRMWARE_CHECK_SUCCESS}` }),
  [CATALOG_HEADERS.sessionId]: z.string({ message: 'X-Session-Id is missing' }),
  [CATALOG_HEADERS.activationKey]: z.string({ message: 'X-Activation-Key is missing' }).regex(/^[A-Z0-9]{8}$/, 'X-Activation-Key is 8 letters and digits'),
});

export const firmwareCheckRequestSchema = z.object({
  controller: z.object({ name: z.string().max(64), version: z.string().max(64) }),
  imageTypes: z
    .array(
      z.object({
        imageType: z.string().regex(/^[A-Za-z0-9_.-]{1,64}$/),
        runningVersion: z.string().max(64),
        ap: catalogApInfoSchema,
      }),
    )
    .max(64),
});
export type FirmwareCheckRequest = z.infer<typeof firmwareCheckRequestSchema>;

export const catalogFileSchema = z.object({
  name: z.string().regex(/^[A-Za-z0-9_.-]{1,128}$/),
  // Bounded again by the console's own limit before anything is fetched (EWC_UPLOAD_MAX_BYTES).
  size: z.number().int().nonnegative().max(Number.MAX_SAFE_INTEGER),
  sha256: z.string().regex(SHA256_HEX),
  /** Absolute https URL of the file; it accepts `Range` requests. */
  url: z.url({ protocol: /^https$/ }),
});
export type CatalogFile = z.infer<typeof catalogFileSchema>;

/** The vendor's signature manifest of a release: the manifest file's exact text and its base64 Ed25519 signature. */
export const catalogSignedManifestSchema = z.object({
  manifest: z
    .string()
    .min(1)
    .max(256 * 1024),
  signature: z.string().min(1).max(1024),
});

/** One release of one image type: the AP image and the controller image that goes with it. */
export const catalogReleaseSchema = z.object({
  version: z.string().regex(RELEASE_VERSION),
  // It becomes controller_version.info and log lines: printable only (`17.12.01.0.5`).
  controllerVersion: z.string().regex(/^[A-Za-z0-9._-]{1,64}$/),
  image: catalogFileSchema,
  controllerImage: catalogFileSchema,
  /** Null for a release the catalog has no vendor signature for: EWC_REQUIRE_SIGNED_IMAGES=1 refuses its images, ask holds them for an admin's trust. */
  signedManifest: catalogSignedManifestSchema.nullable().default(null),
});
export type CatalogRelease = z.infer<typeof catalogReleaseSchema>;

export const firmwareCheckResponseSchema = z.object({
  imageTypes: z.array(
    z.object({
      imageType: z.string().regex(/^[A-Za-z0-9_.-]{1,64}$/),
      latest: catalogReleaseSchema.nullable(),
      recommended: catalogReleaseSchema.nullable(),
      /** Every release the catalog has for this image type, newest first (latest and recommended included). */
      releases: z.array(catalogReleaseSchema),
    }),
  ),
});
export type FirmwareCheckResponse = z.infer<typeof firmwareCheckResponseSchema>;

/** The catalog's error body (401, 400, 404): untrusted text, escaped and cut before it is shown. */
export const catalogErrorSchema = z.object({ error: z.string() });

/** `GET /api/software-upgrade/check`: the last check, as the page shows it. */
export const releaseSummarySchema = z.object({ version: z.string(), size: z.number() }).nullable();
export const catalogCheckResultSchema = z.object({
  checkedAt: z.string().nullable(),
  catalogUrl: z.string(),
  imageTypes: z.array(
    z.object({
      imageType: z.string(),
      models: z.array(z.string()),
      apCount: z.number(),
      runningVersion: z.string(),
      latest: releaseSummarySchema,
      recommended: releaseSummarySchema,
      /** The controller's line for this image type: `Not Supported: …`, `Already running the latest release …`, or null. */
      note: z.string().nullable(),
      /** The note's code and parameters for the page's language; null for checks stored before they were kept. */
      noteSentence: sentenceSchema.nullable().default(null),
    }),
  ),
  message: z.string(),
  /** The message's code and parameters for the page's language; null for checks stored before they were kept. */
  messageSentence: sentenceSchema.nullable().default(null),
  /** Set when the certificate could not be verified: what the admin checks before trusting it once. */
  certificate: z.object({ fingerprint: z.string(), subject: z.string(), issuer: z.string() }).nullable(),
  ok: z.boolean(),
  /** Set when the fleet changed since the check (an upgrade installed, APs joined or left): what changed; the statuses are worked out again. */
  fleetChanged: z.string().nullable().default(null),
  /** `fleetChanged`'s code and parameters for the page's language. */
  fleetChangedSentence: sentenceSchema.nullable().default(null),
});
export type CatalogCheckResult = z.infer<typeof catalogCheckResultSchema>;

/** Compares dotted versions numerically (`17.12.1.5` > `17.9.4.27`). */
export function compareVersions(a: string, b: string): number {
  const pa = a.split('.').map((p) => parseInt(p, 10) || 0);
  const pb = b.split('.').map((p) => parseInt(p, 10) || 0);
  for (let i = 0; i < Math.max(pa.length, pb.length); i += 1) {
    const d = (pa[i] ?? 0) - (pb[i] ?? 0);
    if (d !== 0) return d;
  }
  return 0;
}

/** A TLS certificate fingerprint as `openssl x509 -fingerprint -sha256` prints it (`AB:CD:…`, 32 bytes). */
export const CERTIFICATE_FINGERPRINT = /^([0-9A-F]{2}:){31}[0-9A-F]{2}$/;
