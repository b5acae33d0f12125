/** The encodings RESTCONF answers in (RFC 8040 section 5.2). */
export type Encoding = 'json' | 'xml';

export const CONTENT_TYPES: Record<Encoding, string> = { json: 'application/yang-data+json', xml: 'application/yang-data+xml' };

const ACCEPTED: Record<string, Encoding> = {
  'application/yang-data+json': 'json',
  'application/json': 'json',
  'application/yang-data+xml': 'xml',
  'application/xml': 'xml',
  'text/xml': 'xml',
  'application/*': 'json',
  '*/*': 'json',
};

/** The encoding an `Accept` header asks for, in its order of preference (q-values, 0 refusing); JSON without one; null when none is offered. */
export function negotiate(accept: string | undefined): Encoding | null {
  if (!accept || accept.trim() === '') return 'json';
  const offers = accept
    .split(',')
    .map((part, index) => {
      const [type, ...params] = part.split(';').map((p) => p.trim().toLowerCase());
      const q = params.find((p) => p.startsWith('q='));
      return { type, q: q ? Number(q.slice(2)) : 1, index };
    })
    .filter((offer) => offer.q > 0 && ACCEPTED[offer.type] !== undefined)
    .sort((a, b) => b.q - a.q || a.index - b.index);
  return offers.length > 0 ? ACCEPTED[offers[0].type] : null;
}
