import { createHmac, randomBytes } from 'node:crypto';
import fs from 'node:fs';
import https from 'node:https';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import {
  CATALOG_HEADERS,
  CATALOG_PATHS,
  FIRMWARE_CHECK_SUCCESS,
  FIRMWARE_CHECK_TYPE,
  firmwareCheckRequestSchema,
  identityHeadersSchema,
  type CatalogRelease,
  type ChallengeResponse,
  type FirmwareCheckResponse,
} from '../../../lib/firmwareCatalog';
import { challengeHash, challengeHashMatches } from '../../catalog/challengeHash';
import { publishReleases, type CatalogReleaseSpec, type PublishedFile, type PublishedRelease } from './catalogReleases';
import { hostPort } from '../../../lib/netAddress';

export interface CatalogServiceOptions {
  host: string;
  port: number;
  certPem: string;
  keyPem: string;
  /** Account name → password or API key (the HMAC key of the challenge). */
  accounts: Record<string, string>;
  releases: readonly CatalogReleaseSpec[];
  challengeTtlMs?: number;
  /** The URL clients reach the service at, when a proxy stands in front; file URLs are built on it. */
  publicUrl?: string;
}

/** One request as the service saw it: lets a test count bytes served, see `Range` at work, and read who asked for firmware. */
export interface ServedRequest {
  path: string;
  range: string | null;
  status: number;
  bytesSent: number;
  /** A firmware check's identity headers (X-Guid, X-OEM-Tag, X-Mode, X-Factory-Default, X-Features, X-Ap-Info), as they came. */
  identity?: Record<string, string>;
}

export interface CatalogServiceHandle {
  url: string;
  host: string;
  port: number;
  requests: ServedRequest[];
  close(): Promise<void>;
}

const MAX_BODY = 64 * 1024;
// The request log is for looking at recent traffic; a long-running demo must not grow it forever.
const REQUEST_LOG_LIMIT = 1000;
const FILE_URL_TTL_MS = 24 * 3600_000;

function json(res: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}): void {
  res.writeHead(status, { 'content-type': 'application/json', 'cache-control': 'no-store', ...headers });
  res.end(JSON.stringify(body));
}

function readBody(req: IncomingMessage): Promise<string | null> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    req.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size > MAX_BODY) {
        resolve(null);
        req.destroy();
      } else chunks.push(chunk);
    });
    req.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
    req.on('error', reject);
  });
}

const BASE32 = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ234567';

/**
 * The activation key the service gives a controller (`X-Activation-Key`, as the seed's vendor service
 * answers `3CNO5NTP`): 8 letters and digits from an HMAC of its X-Guid keyed with the account's key, so
 * the same controller gets the same key every time it asks.
 */
function activationKey(accountKey: string, guid: string): string {
  const bytes = createHmac('sha256', accountKey).update(`activation\n${guid}`).digest();
  let bits = 0n;
  for (const byte of bytes.subarray(0, 5)) bits = (bits << 8n) | BigInt(byte);
  return Array.from({ length: 8 }, (_, i) => BASE32[Number((bits >> BigInt(35 - i * 5)) & 31n)]).join('');
}

/** `bytes=N-` or `bytes=N-M`; null for anything else (the whole file is sent). */
function parseRange(header: string | undefined, size: number): { start: number; end: number } | 'unsatisfiable' | null {
  const match = header ? /^bytes=(\d+)-(\d*)$/.exec(header) : null;
  if (!match) return null;
  const start = Number(match[1]);
  const end = match[2] === '' ? size - 1 : Math.min(Number(match[2]), size - 1);
  return start >= size || start > end ? 'unsatisfiable' : { start, end };
}

/**
 * A firmware catalog over HTTPS: challenge, authenticated firmware check, and the release
 * files with `Range` support. The demo runs one on loopback; tests start others.
 */
export async function startCatalogService(options: CatalogServiceOptions): Promise<CatalogServiceHandle> {
  const releases = await publishReleases(options.releases);
  const sessions = new Map<string, { challenge: string; expiresMs: number }>();
  const urlSecret = randomBytes(32);
  const requests: ServedRequest[] = [];
  const ttl = options.challengeTtlMs ?? 60_000;
  let baseUrl = '';

  const fileToken = (filePath: string, expires: number) => createHmac('sha256', urlSecret).update(`${filePath}\n${expires}`).digest('hex');
  const fileUrl = (version: string, name: string): string => {
    const filePath = `/files/${version}/${name}`;
    const expires = Date.now() + FILE_URL_TTL_MS;
    return `${baseUrl}${filePath}?expires=${expires}&token=${fileToken(filePath, expires)}`;
  };
  const entry = (release: PublishedRelease, name: string, file: PublishedFile) => ({ name, size: file.size, sha256: file.sha256, url: fileUrl(release.version, name) });
  const toRelease = (release: PublishedRelease, imageType: string): CatalogRelease => ({
    version: release.version,
    controllerVersion: release.controllerVersion,
    image: entry(release, imageType, release.images.get(imageType)!),
    controllerImage: entry(release, 'C9800-AP-iosxe-wlc.bin', release.controllerImage),
    signedManifest: release.signedManifest,
  });

  const challenge = (res: ServerResponse) => {
    const now = Date.now();
    for (const [id, s] of sessions) if (s.expiresMs < now) sessions.delete(id);
    const body: ChallengeResponse = { challenge: randomBytes(32).toString('base64'), sessionId: randomBytes(16).toString('base64url'), expiresAt: new Date(now + ttl).toISOString() };
    sessions.set(body.sessionId, { challenge: body.challenge, expiresMs: now + ttl });
    json(res, 200, body, { [CATALOG_HEADERS.challenge]: body.challenge, [CATALOG_HEADERS.sessionId]: body.sessionId });
  };

  const check = async (req: IncomingMessage, res: ServerResponse, record: ServedRequest) => {
    if (req.headers[CATALOG_HEADERS.type] !== FIRMWARE_CHECK_TYPE) return json(res, 400, { error: `X-Type must be ${FIRMWARE_CHECK_TYPE}` });
    // Who asks, as the seed's vendor service requires it: a check without the identity headers is refused.
    const identity = identityHeadersSchema.safeParse(req.headers);
    if (!identity.success) return json(res, 400, { error: identity.error.issues[0]?.message ?? 'Invalid identity headers' });
    record.identity = identity.data;
    const body = await readBody(req);
    if (body === null) return json(res, 413, { error: 'Request body too large' });
    const sessionId = String(req.headers[CATALOG_HEADERS.sessionId] ?? '');
    const session = sessions.get(sessionId);
    // Each challenge answers one check: a captured request cannot be replayed.
    sessions.delete(sessionId);
    const key = options.accounts[String(req.headers[CATALOG_HEADERS.account] ?? '')];
    const received = String(req.headers[CATALOG_HEADERS.challengeHash] ?? '');
    if (!session || session.expiresMs < Date.now() || key === undefined || !challengeHashMatches(challengeHash(key, session.challenge, sessionId, body), received)) {
      return json(res, 401, { error: 'Authentication failed' });
    }
    let parsedBody: unknown;
    try {
      parsedBody = JSON.parse(body);
    } catch {
      return json(res, 400, { error: 'The firmware check must be JSON' });
    }
    const parsed = firmwareCheckRequestSchema.safeParse(parsedBody);
    if (!parsed.success) return json(res, 400, { error: `Invalid firmware check: ${parsed.error.issues[0]?.message}` });
    const answer: FirmwareCheckResponse = {
      imageTypes: parsed.data.imageTypes.map(({ imageType }) => {
        const offering = releases.filter((r) => r.images.has(imageType));
        const recommended = offering.find((r) => r.recommended) ?? null;
        return {
          imageType,
          latest: offering[0] ? toRelease(offering[0], imageType) : null,
          recommended: recommended ? toRelease(recommended, imageType) : null,
          releases: offering.map((r) => toRelease(r, imageType)),
        };
      }),
    };
    json(res, 200, answer, {
      [CATALOG_HEADERS.activationKey]: activationKey(key, identity.data[CATALOG_HEADERS.guid]),
      [CATALOG_HEADERS.sessionId]: sessionId,
      [CATALOG_HEADERS.statusCode]: FIRMWARE_CHECK_SUCCESS,
      [CATALOG_HEADERS.type]: FIRMWARE_CHECK_TYPE,
    });
  };

  const serveFile = (req: IncomingMessage, res: ServerResponse, url: URL, record: ServedRequest) => {
    const [, , version, name] = url.pathname.split('/');
    const expires = Number(url.searchParams.get('expires'));
    const token = url.searchParams.get('token') ?? '';
    if (!(expires > Date.now()) || !challengeHashMatches(fileToken(url.pathname, expires), token)) return json(res, 403, { error: 'Download link expired or invalid' });
    const release = releases.find((r) => r.version === version);
    const file = name === 'C9800-AP-iosxe-wlc.bin' ? release?.controllerImage : release?.images.get(name ?? '');
    if (!file) return json(res, 404, { error: 'No such file' });
    const range = parseRange(req.headers.range, file.size);
    if (range === 'unsatisfiable') {
      res.writeHead(416, { 'content-range': `bytes */${file.size}` });
      return res.end();
    }
    const { start, end } = range ?? { start: 0, end: file.size - 1 };
    const headers: Record<string, string> = { 'content-type': 'application/octet-stream', 'accept-ranges': 'bytes', 'content-length': String(end - start + 1) };
    if (range) headers['content-range'] = `bytes ${start}-${end}/${file.size}`;
    res.writeHead(range ? 206 : 200, headers);
    record.status = range ? 206 : 200;
    const stream = fs.createReadStream(file.path, { start, end });
    stream.on('data', (chunk) => (record.bytesSent += chunk.length));
    stream.pipe(res);
    res.on('close', () => stream.destroy());
  };

  const server = https.createServer({ cert: options.certPem, key: options.keyPem }, (req, res) => {
    const url = new URL(req.url ?? '/', 'https://catalog.invalid');
    const record: ServedRequest = { path: url.pathname, range: req.headers.range ?? null, status: 0, bytesSent: 0 };
    requests.push(record);
    if (requests.length > REQUEST_LOG_LIMIT) requests.splice(0, requests.length - REQUEST_LOG_LIMIT);
    res.on('finish', () => (record.status ||= res.statusCode));
    if (req.method === 'GET' && url.pathname === CATALOG_PATHS.challenge) return challenge(res);
    if (req.method === 'POST' && url.pathname === CATALOG_PATHS.check) return void check(req, res, record).catch(() => json(res, 500, { error: 'Catalog error' }));
    if (req.method === 'GET' && url.pathname.startsWith('/files/')) return serveFile(req, res, url, record);
    json(res, 404, { error: 'Not found' });
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port, options.host, resolve);
  });
  const { port } = server.address() as AddressInfo;
  baseUrl = options.publicUrl?.replace(/\/+$/, '') ?? `https://${hostPort(options.host, port)}`;
  return {
    url: baseUrl,
    host: options.host,
    port,
    requests,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
