import type { IncomingMessage, ServerResponse } from 'node:http';
import { CONTENT_TYPES, negotiate, type Encoding } from './mediaType';
import { errorsJson, errorsXml, type RestconfError } from './restconfErrors';
import type { RestconfAuth } from './restconfAuth';
import { HOST_META_PATH, RESTCONF_ROOT } from './restconfPath';
import { lookUp, type Resource } from './restconfResources';
import type { RestconfSources } from './restconfSources';
import { yangXml } from './yangXml';

export interface RestconfServerDeps {
  /** The request gate's Host check (DNS-rebinding guard); it answers a foreign Host itself. */
  checkHost(req: IncomingMessage, res: ServerResponse): boolean;
  auth: RestconfAuth;
  sources: RestconfSources;
}

const READS = 'GET, HEAD, OPTIONS';
const BASE_HEADERS = { 'cache-control': 'no-store', 'x-content-type-options': 'nosniff' };

function send(req: IncomingMessage, res: ServerResponse, status: number, contentType: string | null, body: string, headers: Record<string, string> = {}): void {
  res.writeHead(status, { ...BASE_HEADERS, ...(contentType ? { 'content-type': contentType } : {}), ...headers });
  res.end(req.method === 'HEAD' ? undefined : body);
}

function sendError(req: IncomingMessage, res: ServerResponse, encoding: Encoding, error: RestconfError, headers: Record<string, string> = {}): void {
  send(req, res, error.status, CONTENT_TYPES[encoding], encoding === 'xml' ? errorsXml(error) : errorsJson(error), headers);
}

function encode(resource: Resource, encoding: Encoding): string {
  if (encoding === 'xml') return yangXml(resource.name, resource.value, resource.namespace);
  return JSON.stringify({ [`${resource.module}:${resource.name}`]: resource.value }, null, 2);
}

/** RFC 6415 host-meta: where the RESTCONF API is (RFC 8040 section 3.1), as XRD, or as JRD to a client that asks for JSON. */
function hostMeta(req: IncomingMessage, res: ServerResponse): void {
  if (req.method !== 'GET' && req.method !== 'HEAD') {
    send(req, res, 405, 'text/plain; charset=utf-8', 'Method not allowed\n', { allow: 'GET, HEAD', connection: 'close' });
    return;
  }
  if (/application\/json/.test(req.headers.accept ?? '')) send(req, res, 200, 'application/json', JSON.stringify({ links: [{ rel: 'restconf', href: RESTCONF_ROOT }] }));
  else send(req, res, 200, 'application/xrd+xml', `<XRD xmlns="http://docs.oasis-open.org/ns/xri/xrd-1.0">\n  <Link rel="restconf" href="${RESTCONF_ROOT}"/>\n</XRD>\n`);
}

/**
 * RESTCONF (RFC 8040) on the HTTPS port, read-only, under Cisco's IOS-XE 17.12 module and leaf names:
 * HTTP Basic with the console's accounts (admins and monitors alike may read), GET and HEAD of the
 * served data, 405 for every write, RFC 8040 error bodies in the encoding asked for.
 */
export class RestconfServer {
  constructor(private readonly deps: RestconfServerDeps) {}

  async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    if (!this.deps.checkHost(req, res)) return;
    const url = new URL(req.url ?? '/', 'https://console.invalid');
    if (url.pathname === HOST_META_PATH) return hostMeta(req, res);
    const negotiated = negotiate(req.headers.accept);
    const encoding = negotiated ?? 'json';
    const authenticated = await this.deps.auth.authenticate(req);
    if (!authenticated.ok) {
      const tag = authenticated.status === 429 ? 'resource-denied' : 'access-denied';
      sendError(req, res, encoding, { status: authenticated.status, type: 'protocol', tag, message: authenticated.message }, authenticated.headers);
      return;
    }
    // Held until the answer is sent, so slow reads count against the source's concurrency.
    res.once('close', authenticated.release);
    try {
      if (req.method === 'OPTIONS') return send(req, res, 200, null, '', { allow: READS });
      if (req.method !== 'GET' && req.method !== 'HEAD') {
        const message = `This console's RESTCONF is read-only: ${req.method} is not allowed (${READS} are)`;
        return sendError(req, res, encoding, { status: 405, type: 'protocol', tag: 'operation-not-supported', message }, { allow: READS, connection: 'close' });
      }
      if (negotiated === null) {
        const message = `Accept ${CONTENT_TYPES.json} or ${CONTENT_TYPES.xml}; "${req.headers.accept}" offers neither`;
        return sendError(req, res, 'json', { status: 406, type: 'application', tag: 'invalid-value', message });
      }
      // The path raw, as sent: list keys are split on their encoded delimiters before decoding.
      const rawPath = (req.url ?? '/').split('?')[0];
      const found = lookUp(rawPath.slice(RESTCONF_ROOT.length), url.searchParams, this.deps.sources);
      if (!found.ok) return sendError(req, res, encoding, found.error);
      send(req, res, 200, CONTENT_TYPES[encoding], encode(found.resource, encoding));
    } catch (error) {
      console.error('RESTCONF error:', error instanceof Error ? error.message : error);
      sendError(req, res, encoding, { status: 500, type: 'application', tag: 'operation-failed', message: 'Internal error; see the console log.' });
    }
  }
}
