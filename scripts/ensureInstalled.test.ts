import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
// @ts-expect-error: a plain .mjs script without type declarations (allowJs is off).
import { buildInputFiles, isBuildStale } from './ensureInstalled.mjs';

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
  for (const file of ['app/api/users/route.ts', 'server/http/routeResponse.ts', 'server/http/gate.ts', 'server/tftp/client.ts', 'server/http/routeResponse.test.ts', 'lib/validations/authSchemas.ts']) age(file, 120);
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
