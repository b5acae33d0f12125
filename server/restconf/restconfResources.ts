import { applyQuery, locate, type Target, type YangValue } from './dataTree';
import { parseDataPath, PathError } from './restconfPath';
import { parseDataQuery, QueryError } from './queryParameters';
import { RESTCONF_NAMESPACE, type RestconfError } from './restconfErrors';
import type { RestconfSources } from './restconfSources';
import { SERVED_MODULES } from './servedModules';

/** The revision of ietf-yang-library (RFC 8525) the API root names, as IOS-XE 17.x answers. */
export const YANG_LIBRARY_VERSION = '2019-01-04';

/** What a GET answers: one node, its member name carrying its module (`module:name`), in that module's namespace. */
export interface Resource {
  module: string;
  name: string;
  namespace: string;
  value: YangValue;
}

export type Lookup = { ok: true; resource: Resource } | { ok: false; error: RestconfError };

const notFound = (message: string): Lookup => ({ ok: false, error: { status: 404, type: 'application', tag: 'invalid-value', message } });
const badRequest = (message: string): Lookup => ({ ok: false, error: { status: 400, type: 'protocol', tag: 'invalid-value', message } });

function restconfResource(name: string, value: YangValue): Lookup {
  return { ok: true, resource: { module: 'ietf-restconf', name, namespace: RESTCONF_NAMESPACE, value } };
}

/** `{+restconf}/data/module:top/...`: one of the served modules' nodes, with `content`, `depth` and `fields` applied. */
function dataResource(rawPath: string, search: URLSearchParams, sources: RestconfSources): Lookup {
  let steps;
  let query;
  try {
    steps = parseDataPath(rawPath);
    query = parseDataQuery(search);
  } catch (error) {
    if (error instanceof PathError || error instanceof QueryError) return badRequest(error.message);
    throw error;
  }
  const [first, ...rest] = steps;
  const served = first ? SERVED_MODULES.find((m) => m.name === first.module && m.top === first.name) : undefined;
  if (!first || !served) {
    const offered = SERVED_MODULES.map((m) => `${m.name}:${m.top}`).join(', ');
    return notFound(`This console serves no data at /restconf/data${rawPath}; it serves ${offered}`);
  }
  if (first.keys) return badRequest(`${first.module}:${first.name} is a container: it takes no keys`);
  const top: Target = { name: served.top, value: served.read(sources), list: null };
  const located = locate(served.name, top, rest, served.lists);
  if (!located.ok) return located.status === 404 ? notFound(located.message) : badRequest(located.message);
  const { target } = located;
  if (Array.isArray(target.value) && target.value.length === 0) return notFound(`${served.name}:${target.name} has no entries`);
  const value = applyQuery(target, query, served.lists);
  if (value === null) return notFound(`${served.name}:${target.name} is operational state (config false): content=config selects none of it`);
  // A list, or one entry of it, is an array in RESTCONF's JSON.
  const answer = target.list !== null && !Array.isArray(value) ? [value] : value;
  return { ok: true, resource: { module: served.name, name: target.name, namespace: served.namespace, value: answer as YangValue } };
}

/** The resource at a path under `/restconf` (the path after it, raw), or the RFC 8040 error for it. */
export function lookUp(rest: string, search: URLSearchParams, sources: RestconfSources): Lookup {
  if (rest === '' || rest === '/') return restconfResource('restconf', { data: {}, operations: {}, 'yang-library-version': YANG_LIBRARY_VERSION });
  if (rest === '/yang-library-version') return restconfResource('yang-library-version', YANG_LIBRARY_VERSION);
  if (rest === '/operations' || rest === '/operations/') return restconfResource('operations', {});
  if (rest.startsWith('/data/')) return dataResource(rest.slice('/data'.length), search, sources);
  return notFound(`No RESTCONF resource at /restconf${rest}: this console serves /restconf/data/MODULE:NODE (read-only), /restconf/operations (none) and /restconf/yang-library-version`);
}
