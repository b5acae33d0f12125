/** RFC 8040 section 7: an error's `error-tag`, with the HTTP status it goes with. */
export type ErrorTag = 'invalid-value' | 'access-denied' | 'operation-not-supported' | 'resource-denied' | 'operation-failed';

export interface RestconfError {
  status: number;
  type: 'protocol' | 'application';
  tag: ErrorTag;
  message: string;
}

/** ietf-restconf's namespace: its errors, root resource and yang-library-version. */
export const RESTCONF_NAMESPACE = 'urn:ietf:params:xml:ns:yang:ietf-restconf';

/** `{"ietf-restconf:errors": {"error": [ … ]}}` (RFC 8040 section 7.1). */
export function errorsJson(error: RestconfError): string {
  const entry = { 'error-type': error.type, 'error-tag': error.tag, 'error-message': error.message };
  return JSON.stringify({ 'ietf-restconf:errors': { error: [entry] } }, null, 2);
}

export function escapeXml(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');
}

export function errorsXml(error: RestconfError): string {
  return `<errors xmlns="${RESTCONF_NAMESPACE}">\n  <error>\n    <error-type>${error.type}</error-type>\n    <error-tag>${error.tag}</error-tag>\n    <error-message>${escapeXml(error.message)}</error-message>\n  </error>\n</errors>\n`;
}
