// The layout rules ESLint does not see, over the whole import graph (type imports included):
//  - no import cycle among the product's files (server/, lib/, components/, app/; tests aside);
//  - no two server/ folders importing each other (server/x imports server/y and y imports x), so a
//    folder can be read, tested and moved with what it imports and nothing that imports it;
//  - nothing outside server/sim/ imports the simulators, except the demo wiring at start-up
//    (server/main.ts) and tests (*.test.ts, e2e/, bench/, the model-based test in server/model/);
//  - lib/ imports neither server/ nor components/, and components/ does not import server/ (the
//    browser bundle never carries Node code).
// `node scripts/checkImports.mjs` prints each finding and exits 1 when there is one; `npm run lint` runs it.
import fs from 'node:fs';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import ts from 'typescript';

const SOURCE_ROOTS = ['server', 'lib', 'components', 'app', 'bench', 'e2e'];
const EXTENSIONS = ['.ts', '.tsx', '.mjs'];
const SKIP = new Set(['node_modules', '.next', '.data', '.cache', '.test-results']);

/** The one file allowed to start the simulated world. */
const DEMO_WIRING = 'server/main.ts';

/**
 * Folder pairs that still import each other, each with the branch that removes it. Stale entries
 * are findings too, so this list can only shrink.
 */
export const KNOWN_FOLDER_PAIRS = [];

export function isTestFile(file) {
  return /\.(test|spec)\.tsx?$/.test(file) || /^(e2e|bench)\//.test(file) || file.startsWith('server/model/');
}

function listFiles(root) {
  const files = [];
  const walk = (dir) => {
    for (const entry of fs.readdirSync(path.join(root, dir), { withFileTypes: true })) {
      if (SKIP.has(entry.name)) continue;
      const rel = path.posix.join(dir, entry.name);
      if (entry.isDirectory()) walk(rel);
      else if (EXTENSIONS.includes(path.extname(entry.name))) files.push(rel);
    }
  };
  for (const dir of SOURCE_ROOTS) if (fs.existsSync(path.join(root, dir))) walk(dir);
  return files;
}

function resolveImport(root, from, spec, known) {
  let base;
  if (spec.startsWith('.')) base = path.posix.normalize(path.posix.join(path.posix.dirname(from), spec));
  else if (spec.startsWith('@/')) base = spec.slice(2);
  else return null;
  for (const candidate of [base, `${base}.ts`, `${base}.tsx`, `${base}.mjs`, `${base}/index.ts`, base.replace(/\.js$/, '.ts')]) {
    if (known.has(candidate)) return candidate;
  }
  return null;
}

/** Every file's imports of the project's own files, as resolved paths relative to `root`. */
export function importGraph(root) {
  const files = listFiles(root);
  const known = new Set(files);
  const graph = new Map();
  for (const file of files) {
    const info = ts.preProcessFile(fs.readFileSync(path.join(root, file), 'utf8'), true, true);
    const targets = new Set();
    for (const { fileName } of info.importedFiles) {
      const target = resolveImport(root, file, fileName, known);
      if (target && target !== file) targets.add(target);
    }
    graph.set(file, targets);
  }
  return graph;
}

/** `server/x` for a file in a server folder; null for a file at server/'s root (start-up and configuration). */
function serverFolder(file) {
  const parts = file.split('/');
  return parts[0] === 'server' && parts.length > 2 ? `server/${parts[1]}` : null;
}

function cycles(graph) {
  // Tarjan's strongly connected components over the product's files.
  let index = 0;
  const indices = new Map();
  const low = new Map();
  const stack = [];
  const onStack = new Set();
  const found = [];
  const visit = (node) => {
    indices.set(node, index);
    low.set(node, index);
    index += 1;
    stack.push(node);
    onStack.add(node);
    for (const next of graph.get(node) ?? []) {
      if (!graph.has(next)) continue;
      if (!indices.has(next)) {
        visit(next);
        low.set(node, Math.min(low.get(node), low.get(next)));
      } else if (onStack.has(next)) low.set(node, Math.min(low.get(node), indices.get(next)));
    }
    if (low.get(node) === indices.get(node)) {
      const component = [];
      let member;
      do {
        member = stack.pop();
        onStack.delete(member);
        component.push(member);
      } while (member !== node);
      if (component.length > 1) found.push(component.sort());
    }
  };
  for (const node of graph.keys()) if (!indices.has(node)) visit(node);
  return found;
}

/** The findings for a tree: one sentence each, empty when the layout holds. */
export function checkImports(root, knownPairs = KNOWN_FOLDER_PAIRS) {
  const graph = importGraph(root);
  const product = new Map([...graph].filter(([file]) => !isTestFile(file)));
  const findings = [];

  for (const component of cycles(product)) findings.push(`import cycle: ${component.join(' -> ')}`);

  const folderEdges = new Map();
  for (const [file, targets] of product) {
    const from = serverFolder(file);
    for (const target of targets) {
      const to = serverFolder(target);
      if (!from || !to || from === to) continue;
      const key = `${from} ${to}`;
      if (!folderEdges.has(key)) folderEdges.set(key, `${file} -> ${target}`);
    }
  }
  const allowed = new Set(knownPairs.map(({ pair }) => [...pair].sort().join(' ')));
  const seenPairs = new Set();
  for (const [key, example] of folderEdges) {
    const [from, to] = key.split(' ');
    const reverse = folderEdges.get(`${to} ${from}`);
    if (!reverse || from > to) continue;
    seenPairs.add(`${from} ${to}`);
    if (!allowed.has(`${from} ${to}`)) findings.push(`folders import each other: ${from} <-> ${to} (${example}; ${reverse})`);
  }
  for (const { pair } of knownPairs) {
    const key = [...pair].sort().join(' ');
    if (!seenPairs.has(key)) findings.push(`KNOWN_FOLDER_PAIRS lists ${pair.join(' <-> ')}, which no longer import each other: remove the entry`);
  }

  for (const [file, targets] of graph) {
    if (isTestFile(file) || file.startsWith('server/sim/') || file === DEMO_WIRING) continue;
    for (const target of targets) {
      if (target.startsWith('server/sim/')) findings.push(`${file} imports the simulators (${target}): only ${DEMO_WIRING} and tests may`);
      else if (file.startsWith('lib/') && /^(server|components|app)\//.test(target)) findings.push(`${file} imports ${target}: lib/ is shared by the browser and the server and imports neither`);
      else if (/^(components|app)\//.test(file) && target.startsWith('server/') && !file.startsWith('app/api/')) findings.push(`${file} imports ${target}: browser code never imports server/`);
    }
  }
  return findings;
}

if (import.meta.url === pathToFileURL(process.argv[1]).href) {
  const started = performance.now();
  const findings = checkImports(process.cwd());
  for (const finding of findings) console.error(finding);
  console.log(`checkImports: ${findings.length} finding(s) in ${Math.round(performance.now() - started)} ms`);
  process.exit(findings.length > 0 ? 1 : 0);
}
