import { describe, expect, it } from 'vitest';
import { DOMAIN_ERROR_CODES, ok, refused } from '../app/result';
import { hostKeyChallengeRefusal } from '../app/upgrade/startPredownload';
import { answer, refusalResult } from './domainResult';

describe('a use case answered over HTTP', () => {
  it('gives each refusal code its one status', () => {
    const statuses = Object.fromEntries(DOMAIN_ERROR_CODES.map((code) => [code, refusalResult({ code, message: 'm' }).status]));
    expect(statuses).toEqual({ invalid: 400, conflict: 409, notFound: 404, forbidden: 403, locked: 423, trustRequired: 409, unavailable: 502 });
  });

  it('answers `{ error }`, with the field issues and the details beside it when there are any, as the routes always did', () => {
    expect(refusalResult({ code: 'conflict', message: 'No predownload is in progress.' }).body).toEqual({ error: 'No predownload is in progress.' });
    const issues = [{ path: 'tftp.port', message: 'Too big' }];
    expect(JSON.stringify(refusalResult({ code: 'invalid', message: 'Invalid image download profile', issues }).body)).toBe(JSON.stringify({ error: 'Invalid image download profile', issues }));
    const hostKey = { fingerprint: 'SHA256:abc', type: 'ssh-ed25519' };
    expect(refusalResult({ code: 'trustRequired', message: 'The host key … is not trusted yet.', details: { hostKey } })).toEqual({
      status: 409,
      body: { error: 'The host key … is not trusted yet.', hostKey },
    });
  });

  it("puts a sentence's code and parameters after the unchanged English and the details", () => {
    const hostKey = { fingerprint: 'SHA256:abc', type: 'ssh-ed25519' };
    const result = refusalResult(hostKeyChallengeRefusal('127.0.0.1:2417', hostKey).error);
    expect(result.status).toBe(409);
    expect(JSON.stringify(result.body)).toBe(
      JSON.stringify({
        error: 'The host key of 127.0.0.1:2417 is not trusted yet. Check its fingerprint SHA256:abc and trust it to download.',
        hostKey,
        code: 'hostKeyNotTrusted',
        params: { server: '127.0.0.1:2417', fingerprint: 'SHA256:abc' },
      }),
    );
  });

  it('answers a value with the status the route gives it, shaped by the route', () => {
    expect(answer(ok({ started: 7 }), 202, (value) => ({ upgradeId: value.started }))).toEqual({ status: 202, body: { upgradeId: 7 } });
    expect(answer(refused('notFound', 'No AP 0a00.0000.0001.'), 202)).toEqual({ status: 404, body: { error: 'No AP 0a00.0000.0001.' } });
  });
});
