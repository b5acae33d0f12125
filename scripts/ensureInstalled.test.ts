import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
// @ts-expect-error: a plain .mjs script without type declarations (allowJs is off).
import { buildInputFiles, countInstalledPackages, isBuildStale, runWithProgress } from './ensureInstalled.mjs';

const repoRoot = path.resolve(import.meta.dirname, '..');
let project: string;

function write(file: string, text: string): void {
  fs.mkdirSync(path.dirname(path.join(project, file)), { recursive: true });
  fs.writeFileSync(path.join(project, file), text);
}

function age(file: string, secondsAgo: number): void {
  const time = new Date(Date.now() - secondsAgo * 1000);
  fs.utimesSync(path.join(project, file), time, time);
}

beforeEach(() => {
  // A project shaped like this one: a route handler importing a server helper, which imports a schema and another server module.
  project = fs.mkdtempSync(path.join(os.tmpdir(), 'ewc-build-'));
  write('app/api/users/route.ts', "import { respond } from '@/server/http/routeResponse';\nexport const GET = respond;\n");
  write('server/http/routeResponse.ts', "import { z } from 'zod';\nimport { rule } from '../../lib/validations/authSchemas';\nimport type { Gate } from './gate';\nexport const respond = rule;\n");
  write('server/http/gate.ts', 'export type Gate = 1;\n');
  write('server/tftp/client.ts', 'export const unrelated = 1;\n');
  write('server/http/routeResponse.test.ts', 'export {};\n');
  write('lib/validations/authSchemas.ts', 'export const rule = 1;\n');
  write('.next/BUILD_ID', 'build\n');
  for (const file of ['app/api/users/route.ts', 'server/http/routeResponse.ts', 'server/http/gate.ts', 'server/tftp/client.ts', 'server/http/routeResponse.test.ts', 'lib/validations/authSchemas.ts'])
    age(file, 120);
  age('.next/BUILD_ID', 60);
});

afterEach(() => fs.rmSync(project, { recursive: true, force: true }));

describe('the Next.js build staleness rule', () => {
  it('is fresh when the build is newer than every input', () => {
    expect(isBuildStale(project)).toBe(false);
  });

  it('rebuilds after a schema, or a server module an app route reaches, is edited', () => {
    age('lib/validations/authSchemas.ts', 0);
    expect(isBuildStale(project)).toBe(true);
    age('lib/validations/authSchemas.ts', 120);
    age('server/http/gate.ts', 0);
    expect(isBuildStale(project)).toBe(true);
  });

  it('ignores server code no route imports, and tests', () => {
    age('server/tftp/client.ts', 0);
    age('server/http/routeResponse.test.ts', 0);
    expect(isBuildStale(project)).toBe(false);
  });

  it('rebuilds when there is no build', () => {
    fs.rmSync(path.join(project, '.next'), { recursive: true });
    expect(isBuildStale(project)).toBe(true);
  });

  it('covers, in this repository, the auth schemas and the server files route handlers import', () => {
    const inputs = (buildInputFiles(repoRoot) as string[]).map((file) => path.relative(repoRoot, file));
    for (const file of ['lib/validations/authSchemas.ts', 'server/http/routeResponse.ts', 'server/auth/cookies.ts', 'server/http/bodyLimit.ts', 'components/auth/LoginForm.tsx', 'next.config.ts']) {
      expect(inputs, file).toContain(file);
    }
    expect(inputs.some((file) => file.endsWith('.test.ts'))).toBe(false);
  });
});

describe('the installer', () => {
  it('lets npm run every install script in the lock file by naming its package in allowScripts', () => {
    const manifest = JSON.parse(fs.readFileSync(path.join(repoRoot, 'package.json'), 'utf8')) as { allowScripts?: Record<string, boolean> };
    const lock = JSON.parse(fs.readFileSync(path.join(repoRoot, 'package-lock.json'), 'utf8')) as { packages: Record<string, { hasInstallScript?: boolean }> };
    const withScripts = Object.entries(lock.packages)
      .filter(([key, entry]) => key !== '' && entry.hasInstallScript)
      .map(([key]) => key.slice(key.lastIndexOf('node_modules/') + 'node_modules/'.length));
    // ssh2's install script builds its native ciphers; cpu-features (its optional dependency) tells it which CPU instructions to use.
    expect(withScripts).toEqual(expect.arrayContaining(['ssh2', 'cpu-features']));
    for (const name of withScripts) expect(manifest.allowScripts?.[name], name).toBe(true);
  });

  it('counts the packages npm has put into node_modules so far, scoped ones included', () => {
    for (const dir of ['node_modules/zod', 'node_modules/next', 'node_modules/@types/node', 'node_modules/@types/react', 'node_modules/.bin'])
      fs.mkdirSync(path.join(project, dir), { recursive: true });
    write('node_modules/.package-lock.json', '{}');
    expect(countInstalledPackages(path.join(project, 'node_modules'))).toBe(4);
    expect(countInstalledPackages(path.join(project, 'missing'))).toBe(0);
  });

  it('prints the command, then a line now and then saying it still runs, for how long, and how far it got', async () => {
    const lines: string[] = [];
    const seen = path.join(project, 'still-running-seen');
    // The command ends only once a "still running" line was printed, so the test does not depend on speed.
    const script = `const fs = require('fs'); const t = setInterval(() => { if (fs.existsSync(${JSON.stringify(seen)})) clearInterval(t); }, 20);`;
    const status = await runWithProgress(process.execPath, ['-e', script], {
      label: 'step',
      everyMs: 50,
      progress: () => '3 packages in node_modules so far',
      print: (line: string) => {
        lines.push(line);
        if (line.includes('still running')) fs.writeFileSync(seen, '');
      },
    });
    expect(status).toBe(0);
    expect(lines[0]).toBe(`> ${process.execPath} -e ${script}`);
    expect(lines.slice(1).every((line) => /^ {2}step: still running after \d+ s; 3 packages in node_modules so far$/.test(line))).toBe(true);
    expect(lines.length).toBeGreaterThan(1);
  });

  it('answers the exit status of a command that fails', async () => {
    expect(await runWithProgress(process.execPath, ['-e', 'process.exit(3)'], { label: 'failing step', print: () => undefined })).toBe(3);
  });
});
