import os from 'node:os';
import path from 'node:path';
import { z } from 'zod';
import './auth/passwordDictionaries';
import { passwordPolicyProblem } from '../lib/validations/passwordPolicy';
import type { ApPortLimits } from './capwap/sourceConnections';
import { parseHostPort } from '../lib/netAddress';
import type { StoreTarget } from './store/store';
import { isPostgresUrl } from './store/postgres/databaseUrl';

/** The console's HTTPS port: clear of the demo's (3000, 6969, 2222, 8443, 5246, 2022), and reads as "the HTTPS twin of 3000". */
export const DEFAULT_HTTPS_PORT = 3443;

const flag = z.enum(['0', '1', 'true', 'false']).transform((v) => v === '1' || v === 'true');
const positiveInt = z.coerce.number().int().positive();

/**
 * What the console does with a bundle no trusted vendor signature covers: hold it until an admin trusts
 * each file's SHA-256 (`ask`), refuse it (`1`), or deliver it on its SHA-256 alone (`0`).
 */
export const UNSIGNED_IMAGE_POLICIES = ['ask', 'refuse', 'sha256-only'] as const;
export type UnsignedImagePolicy = (typeof UNSIGNED_IMAGE_POLICIES)[number];
const unsignedImagePolicy = z
  .enum(['ask', '0', '1', 'true', 'false'], { message: 'ask (hold an unsigned bundle for an admin to trust), 1 (refuse it) or 0 (SHA-256 only)' })
  .transform((v): UnsignedImagePolicy => (v === 'ask' ? 'ask' : v === '1' || v === 'true' ? 'refuse' : 'sha256-only'));

const envSchema = z.object({
  PORT: z.coerce.number().int().min(0).max(65535).default(3000),
  HOST: z.string().default('127.0.0.1'),
  EWC_DATA_DIR: z.string().default('.data'),
  // The message never repeats the value: a URL may carry the database password.
  EWC_DATABASE_URL: z.string().refine(isPostgresUrl, 'a PostgreSQL URL, postgres://user:password@host:5432/database (unset: the SQLite file in EWC_DATA_DIR)').optional(),
  // The name other nodes and the log call this node by: a host name's characters, so it is safe in any log line or page.
  EWC_NODE_NAME: z
    .string()
    .regex(/^[A-Za-z0-9._-]{1,63}$/, 'EWC_NODE_NAME: 1 to 63 characters of A-Z, a-z, 0-9, dot, underscore and hyphen (default: the host name)')
    .optional(),
  EWC_LEADER_TIMEOUT_MS: z.coerce
    .number({ message: 'EWC_LEADER_TIMEOUT_MS: a number of milliseconds, at least 1000 (default 15000)' })
    .int('EWC_LEADER_TIMEOUT_MS: a whole number of milliseconds, at least 1000 (default 15000)')
    .min(1000, 'EWC_LEADER_TIMEOUT_MS: at least 1000 ms (default 15000)')
    .default(15_000),
  EWC_DEMO: flag.default(true),
  EWC_FLEET_FILE: z.string().optional(),
  EWC_AP_LINK_KBPS: z.coerce.number().min(0).optional(),
  EWC_DEMO_TFTP_PORT: z.coerce.number().int().min(0).max(65535).default(6969),
  EWC_DEMO_IMAGE_SIZE: z.enum(['scaled', 'real']).default('scaled'),
  EWC_DEMO_SFTP_PORT: z.coerce.number().int().min(0).max(65535).default(2222),
  EWC_SFTP_TIMEOUT_MS: positiveInt.default(15_000),
  EWC_DEMO_CATALOG_PORT: z.coerce.number().int().min(0).max(65535).default(8443),
  EWC_CATALOG_TIMEOUT_MS: positiveInt.default(15_000),
  EWC_CATALOG_MIN_BYTES_PER_SECOND: z.coerce.number().int().min(0).default(8192),
  EWC_CATALOG_DEADLINE_MS: positiveInt.default(7_200_000),
  EWC_CATALOG_ALLOW_LOOPBACK: flag.optional(),
  // Comma-separated https origins, besides the catalog's own, that a catalog's image URLs may point at.
  EWC_CATALOG_IMAGE_ORIGINS: z
    .string()
    .default('')
    .transform((v) =>
      v
        .split(',')
        .map((o) => o.trim())
        .filter((o) => o !== ''),
    )
    .refine((origins) => origins.every(isHttpsOrigin), 'EWC_CATALOG_IMAGE_ORIGINS: comma-separated https origins, each like https://images.example.com or https://10.0.0.9:8443 (no path)')
    .transform((origins) => origins.map((o) => new URL(o).origin)),
  EWC_UPLOAD_MAX_BYTES: positiveInt.default(1_073_741_824),
  EWC_UPLOAD_QUOTA_BYTES: positiveInt.optional(),
  EWC_SECRET_KEY: z.string().optional(),
  EWC_ADMIN_PASSWORD: z
    .string()
    .superRefine((password, ctx) => {
      const problem = passwordPolicyProblem(password, 'admin');
      if (problem) ctx.addIssue({ code: 'custom', message: problem });
    })
    .optional(),
  // Comma-separated Host names the console answers to (DNS-rebinding guard); empty: HOST, localhost, 127.0.0.1, [::1].
  EWC_ALLOWED_HOSTS: z
    .string()
    .default('')
    .transform((v) =>
      v
        .split(',')
        .map((h) => h.trim())
        .filter((h) => h !== ''),
    )
    .refine((hosts) => hosts.every((h) => parseHostPort(h) !== null), 'EWC_ALLOWED_HOSTS: comma-separated names, each `host` or `host:port`'),
  EWC_SECURE_COOKIE: flag.default(false),
  EWC_PLAIN_HTTP_REDIRECT: flag.default(false),
  EWC_HTTPS_PORT: z.coerce.number().int().min(0).max(65535).default(DEFAULT_HTTPS_PORT),
  EWC_TLS_CERT: z.string().min(1).optional(),
  EWC_TLS_KEY: z.string().min(1).optional(),
  EWC_TFTP_BLKSIZE: z.coerce.number().int().min(8).max(65464).default(1468),
  EWC_TFTP_WINDOWSIZE: z.coerce.number().int().min(1).max(65535).default(16),
  EWC_TFTP_TIMEOUT_MS: positiveInt.default(1000),
  EWC_TFTP_RETRIES: z.coerce.number().int().min(0).max(100).default(5),
  EWC_MAX_RETRIES: z.coerce.number().int().min(0).max(100).default(3),
  EWC_RETRY_BASE_MS: positiveInt.default(30_000),
  EWC_RELOAD_MS: z.coerce.number().int().min(0).default(3000),
  EWC_REJOIN_TIMEOUT_MS: positiveInt.default(180_000),
  EWC_MAX_CONCURRENT_PREDOWNLOADS: z.coerce.number().int().min(1).max(10_000).default(25),
  EWC_EVENT_LOG_MAX_LINES: z.coerce.number().int().min(1000).default(100_000),
  EWC_CLI_PORT: z.coerce.number().int().min(0).max(65535).default(2022),
  EWC_RESUME_WAIT_MS: z.coerce.number().int().min(0).default(30_000),
  EWC_CAPWAP_PORT: z.coerce.number().int().min(0).max(65535).default(5246),
  EWC_AP_PORT_WORKER: flag.default(true),
  EWC_AP_AUTO_APPROVE: flag.optional(),
  EWC_MAX_APS: positiveInt.default(6000),
  EWC_AP_JOINS_PER_SECOND: positiveInt.default(200),
  EWC_AP_LOG_LINES_PER_SECOND: positiveInt.default(20),
  EWC_AP_LOG_LINE_MAX: z.coerce.number().int().min(40).max(10_000).default(500),
  EWC_AP_CONNECTIONS_PER_SOURCE: positiveInt.default(1000),
  EWC_AP_HANDSHAKES_PER_SOURCE: positiveInt.default(64),
  EWC_AP_HANDSHAKE_TIMEOUT_MS: z.coerce.number().int().min(1000).max(120_000).default(10_000),
  EWC_REQUIRE_SIGNED_IMAGES: unsignedImagePolicy.default('ask'),
  EWC_VENDOR_KEY_DIR: z.string().optional(),
  EWC_SYSLOG_QUEUE_LINES: z.coerce.number().int().min(1).max(1_000_000).default(1000),
  // A scraper's bearer token for GET /metrics: long enough that guessing it is out of the question.
  EWC_METRICS_TOKEN: z
    .string()
    .min(32, 'EWC_METRICS_TOKEN: at least 32 characters (openssl rand -hex 32)')
    .regex(/^[\x21-\x7e]+$/, 'EWC_METRICS_TOKEN: printable ASCII without spaces')
    .optional(),
});

function isHttpsOrigin(value: string): boolean {
  try {
    const url = new URL(value);
    return url.protocol === 'https:' && url.origin === value.replace(/\/$/, '').toLowerCase().replace(/:443$/, '');
  } catch {
    return false;
  }
}

export interface ConsoleConfig {
  host: string;
  port: number;
  dataDir: string;
  /** `EWC_DATABASE_URL`: PostgreSQL, shared by several nodes; unset, the SQLite file in the data folder. */
  database: StoreTarget;
  /** `EWC_NODE_NAME` and `EWC_LEADER_TIMEOUT_MS`: who this node is among the nodes on one PostgreSQL database, and how fast a standby takes over. */
  node: NodeSettings;
  demo: boolean;
  fleetFile: string | null;
  /** Per-AP link rate of simulated APs in kbit/s; 0 is unlimited. */
  apLinkKbps: number;
  demoTftpPort: number;
  demoImageSize: 'scaled' | 'real';
  demoSftpPort: number;
  sftpTimeoutMs: number;
  /** HTTPS port of the demo firmware catalog. */
  demoCatalogPort: number;
  /** Connection and idle deadline of firmware catalog requests and HTTPS image downloads. */
  catalogTimeoutMs: number;
  /** Slowest transfer a catalog request or HTTPS download may keep, measured over each `catalogTimeoutMs`; 0 turns it off. */
  catalogMinBytesPerSecond: number;
  /** Longest a catalog request or one HTTPS download attempt may take in all. */
  catalogDeadlineMs: number;
  /** A catalog (and its image URLs) may be on loopback: for tests and the demo only. */
  catalogAllowLoopback: boolean;
  /** Origins besides the catalog's own that its image URLs may point at. */
  catalogImageOrigins: string[];
  /** Largest image file Desktop (HTTP) mode accepts, and a catalog may announce. */
  uploadMaxBytes: number;
  /** What all uploads together may take, finished or not; twice the largest file by default (the image in use and its replacement). */
  uploadQuotaBytes: number;
  /** `EWC_SECRET_KEY`, or undefined to use the key file in the data folder. */
  secretKey: string | undefined;
  /** The first admin's password; generated and printed once when unset. */
  adminPassword: string | undefined;
  /** A TLS proxy in front serves the plain HTTP port over https: its session cookie is then the Secure one, as on the HTTPS port. */
  secureCookie: boolean;
  /** EWC_PLAIN_HTTP_REDIRECT: plain HTTP only sends browsers to HTTPS on a loopback HOST too (it always does on any other HOST). */
  plainHttpRedirect: boolean;
  /**
   * The console's own HTTPS port (pages, API, socket.io and RESTCONF), with a certificate from the local CA
   * for its host names, or the admin's own files (`EWC_TLS_CERT`, `EWC_TLS_KEY`, PEM; reloaded on SIGHUP or change).
   */
  https: { port: number; certFile: string | null; keyFile: string | null };
  /** EWC_ALLOWED_HOSTS: Host names the console answers to; empty for the defaults (HOST, localhost, 127.0.0.1, [::1]). */
  allowedHosts: string[];
  tftp: { blksize: number; windowsize: number; timeoutMs: number; retries: number };
  retry: { maxRetries: number; baseDelayMs: number };
  /** How long a simulated AP stays away while it reloads. */
  reloadMs: number;
  /** How long the controller waits for a reloading AP to join again before it fails it. */
  rejoinTimeoutMs: number;
  /** How many APs receive an image at once; the others wait in line. */
  maxConcurrentPredownloads: number;
  /** How many event log lines the database keeps (the newest). */
  eventLogMaxLines: number;
  /** TCP port of the SSH CLI, on `host`; 0 picks a free one. */
  cliPort: number;
  /** After a restart mid-predownload, how long the run waits for its APs to rejoin before it carries on without them. */
  resumeWaitMs: number;
  /** The AP port: mutual TLS, enrolment and the `/capwap` namespace (never the browsers' port). */
  capwapPort: number;
  /** The AP port's TLS, socket.io framing and image streaming in a worker thread (`EWC_AP_PORT_WORKER`), or on the console's event loop. */
  apPortWorker: boolean;
  apAdmission: {
    /** Approve APs that enrol with the fleet's join token without an admin (default on in the demo). */
    autoApprove: boolean;
    maxAps: number;
    joinsPerSecond: number;
    logLinesPerSecond: number;
    logLineMaxLength: number;
    /** Per source address on the AP port: connections, unfinished TLS handshakes, and the handshake deadline. */
    port: ApPortLimits;
  };
  /** What happens to a bundle without a signature manifest (`EWC_REQUIRE_SIGNED_IMAGES`: ask, 1, 0). */
  unsignedImages: UnsignedImagePolicy;
  /** Folder of trusted vendor Ed25519 public keys (`*.pem`) that image manifests are verified with. */
  vendorKeyDir: string;
  /** Lines each syslog host's queue holds while it is unreachable; later ones are dropped and counted. */
  syslogQueueLines: number;
  /** The bearer token a Prometheus scraper may present at GET /metrics; null: only accounts' Basic credentials. */
  metricsToken: string | null;
}

export interface NodeSettings {
  name: string;
  /** Within this time a standby takes over once the leader's process ended, and a leader whose lock connection went silent stops leading. */
  leaderTimeoutMs: number;
}

/** A host name longer than a node name may be, or with other characters, is cut to what the name allows. */
function defaultNodeName(): string {
  return (
    os
      .hostname()
      .replace(/[^A-Za-z0-9._-]/g, '-')
      .slice(0, 63) || 'console'
  );
}

// The demo fleet's links are slowed down so that progress is visible on a loopback network.
const DEMO_LINK_KBPS = 8000;

export class ConfigError extends Error {}

export function loadConfig(env: Record<string, string | undefined> = process.env): ConsoleConfig {
  const parsed = envSchema.safeParse(env);
  if (!parsed.success) {
    const lines = parsed.error.issues.map((i) => `  ${i.path.join('.')}: ${i.message}`);
    throw new ConfigError(`Invalid environment:\n${lines.join('\n')}`);
  }
  const e = parsed.data;
  if ((e.EWC_TLS_CERT === undefined) !== (e.EWC_TLS_KEY === undefined))
    throw new ConfigError('Invalid environment:\n  EWC_TLS_CERT, EWC_TLS_KEY: give both (the certificate and its private key, PEM files) or neither');
  if (e.EWC_HTTPS_PORT !== 0 && e.EWC_HTTPS_PORT === e.PORT) throw new ConfigError(`Invalid environment:\n  EWC_HTTPS_PORT: ${e.EWC_HTTPS_PORT} is PORT already; HTTPS needs a port of its own`);
  // A key file in one node's data folder would leave the others unable to open the database's sealed secrets.
  if (e.EWC_DATABASE_URL && !e.EWC_SECRET_KEY)
    throw new ConfigError('Invalid environment:\n  EWC_SECRET_KEY: required with EWC_DATABASE_URL (the same key on every node: it seals the secrets kept in the database; openssl rand -base64 32)');
  if (e.EWC_CATALOG_DEADLINE_MS < e.EWC_CATALOG_TIMEOUT_MS) throw new ConfigError('Invalid environment:\n  EWC_CATALOG_DEADLINE_MS: must be at least EWC_CATALOG_TIMEOUT_MS');
  return {
    host: e.HOST,
    port: e.PORT,
    dataDir: path.resolve(e.EWC_DATA_DIR),
    database: e.EWC_DATABASE_URL ? { engine: 'postgres', url: e.EWC_DATABASE_URL } : { engine: 'sqlite', dataDir: path.resolve(e.EWC_DATA_DIR) },
    node: { name: e.EWC_NODE_NAME ?? defaultNodeName(), leaderTimeoutMs: e.EWC_LEADER_TIMEOUT_MS },
    demo: e.EWC_DEMO,
    fleetFile: e.EWC_FLEET_FILE ? path.resolve(e.EWC_FLEET_FILE) : null,
    apLinkKbps: e.EWC_AP_LINK_KBPS ?? (e.EWC_DEMO ? DEMO_LINK_KBPS : 0),
    demoTftpPort: e.EWC_DEMO_TFTP_PORT,
    demoImageSize: e.EWC_DEMO_IMAGE_SIZE,
    demoSftpPort: e.EWC_DEMO_SFTP_PORT,
    sftpTimeoutMs: e.EWC_SFTP_TIMEOUT_MS,
    demoCatalogPort: e.EWC_DEMO_CATALOG_PORT,
    catalogTimeoutMs: e.EWC_CATALOG_TIMEOUT_MS,
    catalogMinBytesPerSecond: e.EWC_CATALOG_MIN_BYTES_PER_SECOND,
    catalogDeadlineMs: e.EWC_CATALOG_DEADLINE_MS,
    // The demo's catalog is on loopback; anywhere else a loopback catalog is a probe of the console's own services.
    catalogAllowLoopback: e.EWC_CATALOG_ALLOW_LOOPBACK ?? e.EWC_DEMO,
    catalogImageOrigins: e.EWC_CATALOG_IMAGE_ORIGINS,
    uploadMaxBytes: e.EWC_UPLOAD_MAX_BYTES,
    uploadQuotaBytes: e.EWC_UPLOAD_QUOTA_BYTES ?? 2 * e.EWC_UPLOAD_MAX_BYTES,
    secretKey: e.EWC_SECRET_KEY,
    adminPassword: e.EWC_ADMIN_PASSWORD,
    secureCookie: e.EWC_SECURE_COOKIE,
    plainHttpRedirect: e.EWC_PLAIN_HTTP_REDIRECT,
    allowedHosts: e.EWC_ALLOWED_HOSTS,
    https: { port: e.EWC_HTTPS_PORT, certFile: e.EWC_TLS_CERT ? path.resolve(e.EWC_TLS_CERT) : null, keyFile: e.EWC_TLS_KEY ? path.resolve(e.EWC_TLS_KEY) : null },
    tftp: { blksize: e.EWC_TFTP_BLKSIZE, windowsize: e.EWC_TFTP_WINDOWSIZE, timeoutMs: e.EWC_TFTP_TIMEOUT_MS, retries: e.EWC_TFTP_RETRIES },
    retry: { maxRetries: e.EWC_MAX_RETRIES, baseDelayMs: e.EWC_RETRY_BASE_MS },
    reloadMs: e.EWC_RELOAD_MS,
    rejoinTimeoutMs: e.EWC_REJOIN_TIMEOUT_MS,
    maxConcurrentPredownloads: e.EWC_MAX_CONCURRENT_PREDOWNLOADS,
    eventLogMaxLines: e.EWC_EVENT_LOG_MAX_LINES,
    cliPort: e.EWC_CLI_PORT,
    resumeWaitMs: e.EWC_RESUME_WAIT_MS,
    capwapPort: e.EWC_CAPWAP_PORT,
    apPortWorker: e.EWC_AP_PORT_WORKER,
    apAdmission: {
      autoApprove: e.EWC_AP_AUTO_APPROVE ?? e.EWC_DEMO,
      maxAps: e.EWC_MAX_APS,
      joinsPerSecond: e.EWC_AP_JOINS_PER_SECOND,
      logLinesPerSecond: e.EWC_AP_LOG_LINES_PER_SECOND,
      logLineMaxLength: e.EWC_AP_LOG_LINE_MAX,
      port: { connectionsPerSource: e.EWC_AP_CONNECTIONS_PER_SOURCE, handshakesPerSource: e.EWC_AP_HANDSHAKES_PER_SOURCE, handshakeTimeoutMs: e.EWC_AP_HANDSHAKE_TIMEOUT_MS },
    },
    unsignedImages: e.EWC_REQUIRE_SIGNED_IMAGES,
    vendorKeyDir: path.resolve(e.EWC_VENDOR_KEY_DIR ?? path.join(e.EWC_DATA_DIR, 'vendor-keys')),
    syslogQueueLines: e.EWC_SYSLOG_QUEUE_LINES,
    metricsToken: e.EWC_METRICS_TOKEN ?? null,
  };
}
