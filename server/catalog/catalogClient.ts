import {
  CATALOG_HEADERS,
  CATALOG_PATHS,
  FIRMWARE_CHECK_TYPE,
  apInfoHeader,
  catalogErrorSchema,
  challengeResponseSchema,
  checkAnswerHeadersSchema,
  firmwareCheckResponseSchema,
  identityHeaders,
  type ControllerIdentity,
  type FirmwareCheckRequest,
  type FirmwareCheckResponse,
} from '../../lib/firmwareCatalog';
import { logTextCut } from '../../lib/logText';
import { hostPort } from '../../lib/netAddress';
import { CatalogError } from './catalogError';
import { challengeHash } from './challengeHash';
import { readJson, tlsRequest, type TlsRequestOptions } from './tlsConnection';

export interface CatalogAccount {
  username: string;
  /** Password or API key: the HMAC key of the challenge; it is never sent. */
  key: string;
}

export interface CatalogClientOptions extends TlsRequestOptions {
  catalogUrl: string;
  account: CatalogAccount;
  /** Who asks: sent as the seed's identity headers (X-Guid, X-OEM-Tag, X-Mode, X-Factory-Default, X-Features, X-Ap-Info). */
  identity: ControllerIdentity;
  /** Told each step of the exchange, in the words of the seed's `awc` log: connected to, SSL certificate verification, X-Challenge received, Sent ap info, Firmware returned. */
  onStep?: (step: string) => void;
}

function endpoint(catalogUrl: string, path: string): URL {
  const base = new URL(catalogUrl);
  base.pathname = `${base.pathname.replace(/\/+$/, '')}${path}`;
  return base;
}

async function failureOf(status: number, body: unknown): Promise<CatalogError> {
  if (status === 401 || status === 403) return new CatalogError('auth', 'Authentication failed');
  if (status === 404) return new CatalogError('not-found', 'No firmware catalog at this URL (404)');
  // The catalog's own words, after its certificate verified: escaped and cut, one line whatever it sent.
  const parsed = catalogErrorSchema.safeParse(body);
  return new CatalogError('protocol', `The catalog answered ${status}${parsed.success ? `: ${logTextCut(parsed.data.error, 200)}` : ''}`);
}

/** `latest 17.18.1.2, recommended 17.12.1.5`: the versions an answer offers, each once. */
function offered(answer: FirmwareCheckResponse): string {
  const versions = (pick: 'latest' | 'recommended') => [...new Set(answer.imageTypes.map((entry) => entry[pick]?.version).filter(Boolean))].join(', ') || 'none';
  return `latest ${versions('latest')}, recommended ${versions('recommended')}`;
}

/**
 * One firmware check, as the seed's IAP runs it: connect and verify the certificate, fetch a challenge,
 * answer it with the account's key over the request body, post the check with the controller's identity,
 * and take the firmware the catalog returns once its answer says `X-Status-Code: success`. Every answer is
 * parsed with the protocol's schemas before use.
 */
export async function firmwareCheck(options: CatalogClientOptions, check: FirmwareCheckRequest): Promise<FirmwareCheckResponse> {
  const step = options.onStep ?? (() => undefined);
  let connected = false;
  const tls: CatalogClientOptions = {
    ...options,
    // Both requests connect afresh and verify the certificate again; the exchange says so once, as the seed's log does.
    onVerified: (peer) => {
      if (connected) return;
      connected = true;
      step(`connected to ${hostPort(peer.address, peer.port)}`);
      step(`SSL certificate verification is successful: ${peer.subject || 'no subject'} (SHA-256 fingerprint ${peer.fingerprint})`);
    },
  };
  const challengeResponse = await tlsRequest(endpoint(options.catalogUrl, CATALOG_PATHS.challenge), { method: 'GET' }, tls);
  const challengeBody = await readJson(challengeResponse).catch(() => null);
  if (challengeResponse.statusCode !== 200) throw await failureOf(challengeResponse.statusCode ?? 0, challengeBody);
  const challenge = challengeResponseSchema.safeParse(challengeBody);
  if (!challenge.success) throw new CatalogError('protocol', 'The catalog sent no valid challenge');
  const { challenge: nonce, sessionId } = challenge.data;
  step(`X-Challenge received, X-Session-Id ${sessionId}`);

  const body = JSON.stringify(check);
  const { identity } = options;
  const response = await tlsRequest(
    endpoint(options.catalogUrl, CATALOG_PATHS.check),
    {
      method: 'POST',
      headers: {
        'content-type': 'application/json',
        [CATALOG_HEADERS.type]: FIRMWARE_CHECK_TYPE,
        ...identityHeaders(identity),
        [CATALOG_HEADERS.sessionId]: sessionId,
        [CATALOG_HEADERS.account]: options.account.username,
        [CATALOG_HEADERS.currentVersion]: check.controller.version,
        [CATALOG_HEADERS.challengeHash]: challengeHash(options.account.key, nonce, sessionId, body),
      },
      body,
      onSent: () =>
        step(`Sent ap info '${apInfoHeader(identity.controllerAp)}' in X-Ap-Info (X-Mode ${identity.mode}, X-Guid ${identity.guid}), and ${check.imageTypes.length} image type(s) in the body`),
    },
    tls,
  );
  const answer = await readJson(response).catch(() => null);
  if (response.statusCode !== 200) throw await failureOf(response.statusCode ?? 0, answer);
  const headers = checkAnswerHeadersSchema.safeParse(response.headers);
  if (!headers.success) throw new CatalogError('protocol', `The catalog answer does not follow the firmware-check protocol (${headers.error.issues[0]?.message})`);
  if (headers.data[CATALOG_HEADERS.sessionId] !== sessionId)
    throw new CatalogError('protocol', 'The catalog answer does not follow the firmware-check protocol (X-Session-Id is not the one of the challenge)');
  const parsed = firmwareCheckResponseSchema.safeParse(answer);
  if (!parsed.success) throw new CatalogError('protocol', 'The catalog answer does not follow the firmware-check protocol');
  step(
    `Firmware returned for ${parsed.data.imageTypes.length} image type(s): ${offered(parsed.data)} (X-Status-Code: ${headers.data[CATALOG_HEADERS.statusCode]}, X-Activation-Key: ${headers.data[CATALOG_HEADERS.activationKey]})`,
  );
  return parsed.data;
}
