/** RESTCONF's paths on the HTTPS port (RFC 8040): the root's discovery document and the API under `/restconf`. */
export const RESTCONF_ROOT = '/restconf';
export const HOST_META_PATH = '/.well-known/host-meta';

export function isRestconfPath(pathname: string): boolean {
  return pathname === HOST_META_PATH || pathname === RESTCONF_ROOT || pathname.startsWith(`${RESTCONF_ROOT}/`);
}

/** One step of a data resource path: `module:name` (the module on the first step at least), with list keys after `=`. */
export interface PathStep {
  module: string | null;
  name: string;
  keys: string[] | null;
}

export class PathError extends Error {}

const IDENTIFIER = /^[A-Za-z_][A-Za-z0-9_.-]*$/;

function decode(text: string): string {
  try {
    return decodeURIComponent(text);
  } catch {
    throw new PathError(`"${text}" is not percent-encoded correctly`);
  }
}

/**
 * The steps of `{+restconf}/data/...` after `data` (RFC 8040 section 3.5.3): each `[module:]name[=key,key]`,
 * split on the raw `/`, `=` and `,` before percent-decoding, so that a key may hold any of them encoded.
 */
export function parseDataPath(raw: string): PathStep[] {
  if (raw === '' || raw === '/') return [];
  const steps = raw.replace(/^\//, '').replace(/\/$/, '').split('/');
  return steps.map((step, index) => {
    const eq = step.indexOf('=');
    const identifier = decode(eq < 0 ? step : step.slice(0, eq));
    const keys =
      eq < 0
        ? null
        : step
            .slice(eq + 1)
            .split(',')
            .map(decode);
    const colon = identifier.indexOf(':');
    const module = colon < 0 ? null : identifier.slice(0, colon);
    const name = colon < 0 ? identifier : identifier.slice(colon + 1);
    if (!IDENTIFIER.test(name) || (module !== null && !IDENTIFIER.test(module))) throw new PathError(`"${identifier}" is not a YANG node name`);
    if (index === 0 && module === null) throw new PathError(`the first step "${identifier}" must name its module (module:node)`);
    return { module, name, keys };
  });
}
