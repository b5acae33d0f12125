/**
 * How a request reached the console, for the upgrade history: a browser's fetch from the
 * console's own page says `Sec-Fetch-Site: same-origin`; anything else is an API client.
 */
export function requestVia(headers: Headers): 'page' | 'api' {
  return headers.get('sec-fetch-site') === 'same-origin' ? 'page' : 'api';
}
