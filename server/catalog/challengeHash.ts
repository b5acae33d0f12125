import { createHash, createHmac, timingSafeEqual } from 'node:crypto';

/**
 * The answer to a catalog challenge: HMAC-SHA256 keyed with the account's password or API key
 * over the challenge, the session id and the body's SHA-256. Client and service compute it
 * the same way; only the hash travels.
 */
export function challengeHash(key: string, challenge: string, sessionId: string, body: string): string {
  const bodyHash = createHash('sha256').update(body).digest('hex');
  return createHmac('sha256', key).update(`${challenge}\n${sessionId}\n${bodyHash}`).digest('hex');
}

export function challengeHashMatches(expected: string, received: string): boolean {
  const a = Buffer.from(expected, 'hex');
  const b = Buffer.from(received, 'hex');
  return a.length === b.length && a.length > 0 && timingSafeEqual(a, b);
}
