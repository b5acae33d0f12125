import type { PathStep } from './restconfPath';
import type { DataQuery, Selection } from './queryParameters';

/** Data as RFC 7951 JSON holds it: containers and list entries are objects, lists arrays, leaves scalars. */
export type YangValue = string | number | boolean | YangObject | YangObject[];
export interface YangObject {
  [name: string]: YangValue;
}

/** The lists of the served modules: their keys, and how a key in a URL matches one in the data. */
export interface ListSchema {
  keys: readonly string[];
  sameKey: (inData: string, inUrl: string) => boolean;
}

export type Lists = Readonly<Record<string, ListSchema>>;

/** The node a path points at: its name, its value, and whether it is a list (or one entry of one), which answers as an array. */
export interface Target {
  name: string;
  value: YangValue;
  list: string | null;
}

export type Located = { ok: true; target: Target } | { ok: false; status: 400 | 404; message: string };

function isObject(value: YangValue): value is YangObject {
  return typeof value === 'object' && !Array.isArray(value);
}

/** Walks from a module's top container down the steps after it; a list step with keys picks one entry. */
export function locate(module: string, top: Target, steps: readonly PathStep[], lists: Lists): Located {
  let target = top;
  let path = `${module}:${top.name}`;
  for (const step of steps) {
    if (step.module !== null && step.module !== module) return { ok: false, status: 404, message: `${path} has no node from module ${step.module}` };
    path += `/${step.name}`;
    if (Array.isArray(target.value)) return { ok: false, status: 400, message: `${path}: the list ${target.name} needs its keys before a node below it (${target.name}=…)` };
    const child = isObject(target.value) ? target.value[step.name] : undefined;
    if (child === undefined) return { ok: false, status: 404, message: `No data at ${path}` };
    const schema = lists[step.name];
    if (!Array.isArray(child) || !schema) {
      if (step.keys) return { ok: false, status: 400, message: `${path} is not a list: it takes no keys` };
      target = { name: step.name, value: child, list: null };
      continue;
    }
    if (!step.keys) {
      target = { name: step.name, value: child, list: step.name };
      continue;
    }
    if (step.keys.length !== schema.keys.length) return { ok: false, status: 400, message: `${path} takes ${schema.keys.length} key(s) (${schema.keys.join(', ')}), not ${step.keys.length}` };
    const entry = child.find((e) => schema.keys.every((key, i) => schema.sameKey(String(e[key]), step.keys![i])));
    if (!entry) return { ok: false, status: 404, message: `No ${step.name} entry with ${schema.keys.map((k, i) => `${k} ${step.keys![i]}`).join(', ')}` };
    target = { name: step.name, value: entry, list: step.name };
  }
  return { ok: true, target };
}

function keysOf(lists: Lists, list: string | null): readonly string[] {
  return list ? (lists[list]?.keys ?? []) : [];
}

/** `fields`: the selected descendants, with each list entry's keys (an entry without them is no entry). */
function select(value: YangValue, selection: Selection | null, list: string | null, lists: Lists): YangValue {
  if (selection === null) return value;
  if (Array.isArray(value)) return value.map((entry) => select(entry, selection, list, lists) as YangObject);
  if (!isObject(value)) return value;
  const keys = keysOf(lists, list);
  const out: YangObject = {};
  for (const [name, child] of Object.entries(value)) {
    if (keys.includes(name)) out[name] = child;
    else if (selection.has(name)) out[name] = select(child, selection.get(name)!, Array.isArray(child) ? name : null, lists);
  }
  return out;
}

/** `depth`: nodes below `depth` levels left out, the target being level 1; a list entry keeps its keys, as RFC 8040's examples show. */
function prune(value: YangValue, level: number, depth: number, list: string | null, lists: Lists): YangValue {
  if (Array.isArray(value)) return value.map((entry) => prune(entry, level, depth, list, lists) as YangObject);
  if (!isObject(value)) return value;
  const keys = keysOf(lists, list);
  const out: YangObject = {};
  for (const [name, child] of Object.entries(value)) {
    if (keys.includes(name)) out[name] = child;
    else if (level < depth) out[name] = prune(child, level + 1, depth, Array.isArray(child) ? name : null, lists);
  }
  return out;
}

/** The target's value as the query asks for it; null when `content=config` leaves nothing (every node served is config false). */
export function applyQuery(target: Target, query: DataQuery, lists: Lists): YangValue | null {
  if (query.content === 'config') return null;
  const selected = select(target.value, query.fields, target.list, lists);
  return query.depth === null ? selected : prune(selected, 1, query.depth, target.list, lists);
}
