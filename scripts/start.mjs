// `npm start`: install what is missing, build when stale, then run the console.
import { spawn } from 'node:child_process';
import { ensureBuild, ensureNativeTftpEngine, ensureNodeModules, NO_TELEMETRY, root } from './ensureInstalled.mjs';

await ensureNodeModules();
await ensureNativeTftpEngine();
await ensureBuild();
// Node itself with tsx's loader, not the tsx command: that wrapper relays a signal and kills the console
// with SIGKILL when it does not acknowledge within 30 ms, which a graceful stop writing its last tick can miss.
const child = spawn(process.execPath, ['--import', 'tsx', 'server/main.ts'], {
  cwd: root,
  stdio: 'inherit',
  env: { NODE_ENV: 'production', ...NO_TELEMETRY, ...process.env },
});
// Ctrl-C reaches the console too (same process group); it takes the first signal and ignores repeats.
for (const signal of ['SIGINT', 'SIGTERM']) process.on(signal, () => child.kill(signal));
child.on('exit', (code, signal) => process.exit(code ?? (signal ? 1 : 0)));
