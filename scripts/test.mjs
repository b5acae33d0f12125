// `npm test`: install what is missing (npm and Debian packages), then the lint, then run every suite:
// unit and integration tests (Vitest, against real tftpd-hpa, atftpd and OpenSSH on loopback),
// then the browser tests (Playwright in Debian's Chromium against the built console).
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { describeFailures, playwrightFailures, vitestFailures } from './testReport.mjs';
import { ensureBuild, ensureDebianPackages, ensureNativeTftpEngine, ensureNodeModules, root } from './ensureInstalled.mjs';

await ensureNodeModules();
await ensureDebianPackages();
await ensureNativeTftpEngine();

const resultsDir = path.join(root, '.test-results');
fs.rmSync(resultsDir, { recursive: true, force: true });
fs.mkdirSync(resultsDir, { recursive: true });
const bin = (name) => path.join(root, 'node_modules', '.bin', name);
const run = (command, args) => spawnSync(command, args, { cwd: root, stdio: 'inherit', env: { ...process.env } }).status ?? 1;

// The house rules first (ESLint, then the import graph's layout rules): a finding fails the run, but every suite still runs.
const lintStatus = run('npm', ['run', '--silent', 'lint']);
const vitest = (args, report) => run(bin('vitest'), ['run', ...args, '--reporter=default', '--reporter=json', `--outputFile.json=${path.join(resultsDir, report)}`]);
const vitestStatus = vitest([], 'vitest.json');
// The TFTP client's tests (and the demo server's, which download with it) once more on the event-driven engine, the fallback wherever the native addon cannot be built.
process.env.EWC_TFTP_ENGINE = 'js';
const vitestJsStatus = vitest(['server/tftp', 'server/sim/imageServers/tftpServer.test.ts'], 'vitest-js-engine.json');
delete process.env.EWC_TFTP_ENGINE;
// The model-based test once more with its consoles on PostgreSQL, where every read of the store is real I/O during which
// a run moves on: its fixed seed only (about 45 s; the random seeds run on SQLite above and in `npm run bench:model`).
process.env.EWC_TEST_DATABASE = 'postgres';
process.env.MODEL_SEED = '18';
const vitestPostgresStatus = vitest(['server/model/model.test.ts'], 'vitest-model-postgres.json');
delete process.env.EWC_TEST_DATABASE;
delete process.env.MODEL_SEED;
await ensureBuild();
const playwrightStatus = run(bin('playwright'), ['test']);

function readJson(file) {
  try {
    return JSON.parse(fs.readFileSync(path.join(resultsDir, file), 'utf8'));
  } catch {
    return null;
  }
}
const vitestReports = [readJson('vitest.json'), readJson('vitest-js-engine.json'), readJson('vitest-model-postgres.json')];
const playwright = readJson('playwright.json');
const sum = (key) => vitestReports.reduce((total, report) => total + (report?.[key] ?? 0), 0);
const passed = sum('numPassedTests') + (playwright?.stats?.expected ?? 0) + (playwright?.stats?.flaky ?? 0);
const failed = sum('numFailedTests') + (playwright?.stats?.unexpected ?? 0);
const skipped = sum('numPendingTests') + sum('numTodoTests') + (playwright?.stats?.skipped ?? 0);
const describe = (report) => (report ? `${report.numPassedTests} passed, ${report.numFailedTests} failed` : 'no report');
console.log(
  `\nlint: ${lintStatus === 0 ? 'clean' : 'findings above'}; vitest: ${describe(vitestReports[0])}; vitest (TFTP, JS engine): ${describe(vitestReports[1])}; vitest (model, PostgreSQL): ${describe(vitestReports[2])}; playwright: ${playwright ? `${playwright.stats.expected} passed, ${playwright.stats.unexpected} failed` : 'no report'}`,
);
console.log(describeFailures([...vitestReports.flatMap((report) => vitestFailures(report, root)), ...playwrightFailures(playwright)]));
console.log(`tests: ${passed} passed, ${failed} failed, ${skipped} skipped`);
const statuses = [lintStatus, vitestStatus, vitestJsStatus, vitestPostgresStatus, playwrightStatus];
process.exit(statuses.some((status) => status !== 0) || failed > 0 || passed === 0 ? 1 : 0);
