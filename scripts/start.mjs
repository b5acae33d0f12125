// `npm start`: install what is missing, build when stale, then run the console.
import { spawn } from 'node:child_process';
import { ensureBuild, ensureNativeTftpEngine, ensureNodeModules, NO_TELEMETRY, root } from './ensureInstalled.mjs';

await ensureNodeModules();
await ensureNativeTftpEngine();
await ensureBuild();
// Node itself with tsx's loader, not the tsx command: that wrapper relays a signal and kills the console
// with SIGKILL when it does not acknowledge within 30 ms, which a graceful stop writing its last tick can miss.
// glibc serves a block of at least its mmap threshold with a mapping of its own, handed back when freed; but
// the threshold rises to the size of the first such block freed, and from then on the AP port's 64 KiB image
// blocks and TLS write copies come from the heap, where each AP connection's small long-lived allocations
// between them keep the pages from being returned. Fixed at 64 KiB: 2,000 APs after a predownload, RSS
// 610 MiB against 740 MiB in the same run (1,000 APs: 483 and 480 against 608 and 573), with no CPU cost
// this shared machine could tell from its noise. Set it yourself to override it; bench/fleet.ts starts the
// console with the same value.
const MALLOC_ENV = { MALLOC_MMAP_THRESHOLD_: '65536' };
const child = spawn(process.execPath, ['--import', 'tsx', 'server/main.ts'], {
  cwd: root,
  stdio: 'inherit',
  env: { NODE_ENV: 'production', ...NO_TELEMETRY, ...MALLOC_ENV, ...process.env },
});
// Ctrl-C reaches the console too (same process group); it takes the first signal and ignores repeats.
for (const signal of ['SIGINT', 'SIGTERM']) process.on(signal, () => child.kill(signal));
child.on('exit', (code, signal) => process.exit(code ?? (signal ? 1 : 0)));
