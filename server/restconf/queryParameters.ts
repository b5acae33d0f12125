/** What RESTCONF's query parameters ask of a GET (RFC 8040 section 4.8); the ones this server takes. */
export interface DataQuery {
  /** `content`: `config` selects nothing here, all the data served is operational state (config false). */
  content: 'all' | 'config' | 'nonconfig';
  /** `depth`: levels of the answer, the target's node being level 1; null is `unbounded`. */
  depth: number | null;
  /** `fields`: the descendants to keep, or null for all. */
  fields: Selection | null;
}

/** The nodes a `fields` expression keeps: by name, each with what to keep below it (null: everything). */
export type Selection = Map<string, Selection | null>;

export class QueryError extends Error {}

const SUPPORTED = ['content', 'depth', 'fields'] as const;
const IDENTIFIER = /^([A-Za-z_][A-Za-z0-9_.-]*:)?[A-Za-z_][A-Za-z0-9_.-]*$/;

function merge(into: Selection, path: string[], below: Selection | null): void {
  const [head, ...rest] = path;
  if (rest.length === 0) {
    const existing = into.get(head);
    if (existing === undefined || below === null) into.set(head, below);
    else if (existing !== null) for (const [name, sub] of below) merge(existing, [name], sub);
    return;
  }
  let child = into.get(head);
  if (child === null) return;
  if (child === undefined) {
    child = new Map();
    into.set(head, child);
  }
  merge(child, rest, below);
}

/**
 * `fields-expr = path "(" fields-expr ")" / path ";" fields-expr / path` with `path = api-identifier ["/" path]`.
 * A module prefix is dropped: the answer's members carry none below its top node.
 */
export function parseFields(text: string): Selection {
  let at = 0;
  const parseList = (): Selection => {
    const selection: Selection = new Map();
    for (;;) {
      const start = at;
      while (at < text.length && !'();'.includes(text[at])) at += 1;
      const path = text.slice(start, at).split('/');
      if (path.some((name) => !IDENTIFIER.test(name))) throw new QueryError(`fields: "${text.slice(start, at)}" is not a path of node names`);
      const names = path.map((name) => name.slice(name.indexOf(':') + 1));
      let below: Selection | null = null;
      if (text[at] === '(') {
        at += 1;
        below = parseList();
        if (text[at] !== ')') throw new QueryError(`fields: a "(" is not closed in "${text}"`);
        at += 1;
      }
      merge(selection, names, below);
      if (text[at] !== ';') return selection;
      at += 1;
    }
  };
  const selection = parseList();
  if (at !== text.length) throw new QueryError(`fields: unexpected "${text[at]}" at position ${at + 1} of "${text}"`);
  return selection;
}

export function parseDataQuery(search: URLSearchParams): DataQuery {
  const seen = new Set<string>();
  for (const name of search.keys()) {
    if (!(SUPPORTED as readonly string[]).includes(name)) throw new QueryError(`The query parameter "${name}" is not supported here (${SUPPORTED.join(', ')} are)`);
    if (seen.has(name)) throw new QueryError(`The query parameter "${name}" is given more than once`);
    seen.add(name);
  }
  const content = search.get('content') ?? 'all';
  if (content !== 'all' && content !== 'config' && content !== 'nonconfig') throw new QueryError(`content must be config, nonconfig or all, not "${content}"`);
  const depthText = search.get('depth');
  let depth: number | null = null;
  if (depthText !== null && depthText !== 'unbounded') {
    depth = /^\d{1,5}$/.test(depthText) ? Number(depthText) : NaN;
    if (!(depth >= 1 && depth <= 65535)) throw new QueryError(`depth must be unbounded or a whole number from 1 to 65535, not "${depthText}"`);
  }
  const fieldsText = search.get('fields');
  return { content, depth, fields: fieldsText === null ? null : parseFields(fieldsText) };
}
