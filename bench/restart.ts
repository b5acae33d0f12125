import { parseArgs } from 'node:util';
import { startPostgres, TEST_SECRET_KEY } from '../server/sim/testing/postgresServer';
import { runRestartFaultInjection } from '../server/sim/testing/restartFaultInjection';

// `npm run bench:restart`: kills the console (SIGKILL; the second kill is a SIGTERM) at random moments of a
// predownload and activation of the demo fleet, restarts it each time, and checks the end state: an upgrade survives its controller being killed at any moment.
// CI runs a short form through server/orchestrator/restartFaultInjection.test.ts. With `--nodes 2`, two console nodes on
// one PostgreSQL database (started here): each kill hits the leader, the standby takes over, the killed node stands by.
const { values } = parseArgs({
  options: {
    kills: { type: 'string', default: '24' },
    'reload-kills': { type: 'string', default: '3' },
    'link-kbps': { type: 'string', default: '1000' },
    seed: { type: 'string', default: String(Date.now() % 100_000) },
    nodes: { type: 'string', default: '1' },
  },
});
if (values.nodes !== '1' && values.nodes !== '2') {
  console.error('usage: npm run bench:restart -- [--kills N] [--reload-kills N] [--link-kbps N] [--seed N] [--nodes 1|2]');
  process.exit(2);
}
const postgres = values.nodes === '2' ? await startPostgres() : null;

const report = await runRestartFaultInjection({
  predownloadKills: Number(values.kills),
  reloadKills: Number(values['reload-kills']),
  linkKbps: Number(values['link-kbps']),
  seed: Number(values.seed),
  log: (line) => console.log(line),
  twoNodes: postgres ? { EWC_DATABASE_URL: await postgres.createDatabase(), EWC_SECRET_KEY: TEST_SECRET_KEY } : undefined,
}).finally(() => postgres?.stop());

console.log(`\nseed ${values.seed}: ${report.killPoints.length} kill points, final stage ${report.finalStage}`);
for (const point of report.killPoints) {
  console.log(`  ${String(point.n).padStart(2)} ${point.signal} ${point.phase.padEnd(12)} moving again after ${point.resumedAfterMs ?? '-'} ms | ${point.seen}`);
  console.log(`     restarted: ${point.resumedLine ?? '(no resume line)'}`);
}
console.log('\nAP                    status   image exact  bytes needed  bytes received  delivered twice');
for (const ap of report.aps) {
  console.log(
    `  ${ap.name.padEnd(20)} ${ap.status.padEnd(8)} ${String(ap.imageExact).padEnd(12)} ${String(ap.bytesNeeded).padStart(12)} ${String(ap.bytesReceived).padStart(15)} ${String(ap.bytesReceived - ap.bytesNeeded).padStart(16)}`,
  );
}
console.log(`\nPRAGMA integrity_check: ${report.integrityCheck}; profile intact: ${report.profileIntact}; users: ${report.users.join(', ')}`);
console.log(`duplicated events: ${report.duplicatedEvents.length === 0 ? 'none' : report.duplicatedEvents.join(', ')}`);
console.log(
  `"Controller restarted: resuming" lines: ${report.resumedLines.length}; "Controller node … took over" lines: ${report.takeoverLines.length}; image cache reuse lines: ${report.reusedImageLines.length}`,
);
console.log(`graceful stop: exit ${report.gracefulStop.exitCode} after ${report.gracefulStop.ms} ms, logged: ${report.gracefulStop.logged}`);
const ok =
  report.finalStage === 'Completed' &&
  report.aps.every((ap) => ap.status === 'NotSupported' || (ap.imageExact && ap.bytesReceived === ap.bytesNeeded)) &&
  (postgres !== null || report.integrityCheck === 'ok') &&
  report.profileIntact &&
  // Two nodes: each fetches into its own image cache, so an image may be completed once per node that led.
  report.duplicatedEvents.filter((event) => !(postgres && event.startsWith('image fetched '))).length === 0;
console.log(ok ? '\nPASS' : '\nFAIL');
process.exit(ok ? 0 : 1);
