import {
  CATALOG_HEADERS,
  CATALOG_PATHS,
  FIRMWARE_CHECK_TYPE,
  catalogErrorSchema,
  challengeResponseSchema,
  firmwareCheckResponseSchema,
  type FirmwareCheckRequest,
  type FirmwareCheckResponse,
} from '../../lib/firmwareCatalog';
import { logTextCut } from '../../lib/logText';
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

/**
 * One firmware check: fetch a challenge, answer it with the account's key over the request body,
 * post the check. Every answer is parsed with the protocol's schema before use.
 */
export async function firmwareCheck(options: CatalogClientOptions, check: FirmwareCheckRequest): Promise<FirmwareCheckResponse> {
  const challengeResponse = await tlsRequest(endpoint(options.catalogUrl, CATALOG_PATHS.challenge), { method: 'GET' }, options);
  const challengeBody = await readJson(challengeResponse).catch(() => null);
  if (challengeResponse.statusCode !== 200) throw await failureOf(challengeResponse.statusCode ?? 0, challengeBody);
  const challenge = challengeResponseSchema.safeParse(challengeBody);
  if (!challenge.success) throw new CatalogError('protocol', 'The catalog sent no valid challenge');

  const body = JSON.stringify(check);
  const { challenge: nonce, sessionId } = challenge.data;
  const firstAp = check.imageTypes[0]?.ap;
  const response = await tlsRequest(
    endpoint(options.catalogUrl, CATALOG_PATHS.check),
    {
      method: 'POST',
      headers: {
        'content-type': 'application/json',
        [CATALOG_HEADERS.type]: FIRMWARE_CHECK_TYPE,
        [CATALOG_HEADERS.sessionId]: sessionId,
        [CATALOG_HEADERS.account]: options.account.username,
        [CATALOG_HEADERS.currentVersion]: check.controller.version,
        ...(firstAp ? { [CATALOG_HEADERS.apInfo]: `${firstAp.serial}, ${firstAp.mac}, ${firstAp.model}` } : {}),
        [CATALOG_HEADERS.challengeHash]: challengeHash(options.account.key, nonce, sessionId, body),
      },
      body,
    },
    options,
  );
  const answer = await readJson(response).catch(() => null);
  if (response.statusCode !== 200) throw await failureOf(response.statusCode ?? 0, answer);
  const parsed = firmwareCheckResponseSchema.safeParse(answer);
  if (!parsed.success) throw new CatalogError('protocol', 'The catalog answer does not follow the firmware-check protocol');
  return parsed.data;
}
