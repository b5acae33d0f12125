import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
// @ts-expect-error -- a plain ES module run by node, without type declarations
import { checkImports } from './checkImports.mjs';

const ROOT = path.resolve(import.meta.dirname, '..');
let tree: string | null = null;

/** A throw-away tree of files holding only their imports. */
function makeTree(files: Record<string, string[]>): string {
  tree = fs.mkdtempSync(path.join(os.tmpdir(), 'ewc-imports-'));
  for (const [file, imports] of Object.entries(files)) {
    fs.mkdirSync(path.join(tree, path.dirname(file)), { recursive: true });
    fs.writeFileSync(path.join(tree, file), imports.map((spec, i) => `import { x${i} } from '${spec}';\n`).join('') + 'export const x = 1;\n');
  }
  return tree;
}

afterEach(() => {
  if (tree) fs.rmSync(tree, { recursive: true, force: true });
  tree = null;
});

describe('the layout rules over the import graph', () => {
  it('hold for this tree', () => {
    expect(checkImports(ROOT)).toEqual([]);
  });

  it('find a cycle, two server folders importing each other, the simulators imported by product code, and browser code importing the server', () => {
    const root = makeTree({
      'server/a/one.ts': ['../b/two'],
      'server/b/two.ts': ['../a/three'],
      'server/a/three.ts': ['./one'],
      'server/http/route.ts': ['../sim/demo/fleet'],
      'server/sim/demo/fleet.ts': [],
      'server/main.ts': ['./sim/demo/fleet'],
      'server/http/route.test.ts': ['../sim/demo/fleet'],
      'components/page.tsx': ['@/server/a/one'],
      'lib/rule.ts': ['../components/page'],
    });
    const findings: string[] = checkImports(root, []);
    expect(findings.sort()).toEqual(
      [
        'import cycle: server/a/one.ts -> server/a/three.ts -> server/b/two.ts',
        'folders import each other: server/a <-> server/b (server/a/one.ts -> server/b/two.ts; server/b/two.ts -> server/a/three.ts)',
        'components/page.tsx imports server/a/one.ts: browser code never imports server/',
        'lib/rule.ts imports components/page.tsx: lib/ is shared by the browser and the server and imports neither',
        'server/http/route.ts imports the simulators (server/sim/demo/fleet.ts): only server/main.ts and tests may',
      ].sort(),
    );
  });

  it('asks for a known folder pair to be struck off once it is gone', () => {
    const root = makeTree({ 'server/a/one.ts': [] });
    expect(checkImports(root, [{ pair: ['server/a', 'server/b'], why: 'test' }])).toEqual(['KNOWN_FOLDER_PAIRS lists server/a <-> server/b, which no longer import each other: remove the entry']);
  });
});
