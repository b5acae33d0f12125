// `npm start`: install what is missing, build when stale, then run the console.
import { spawn } from 'node:child_process';
import path from 'node:path';
import { ensureBuild, ensureNativeTftpEngine, ensureNodeModules, root } from './ensureInstalled.mjs';

ensureNodeModules();
ensureNativeTftpEngine();
ensureBuild();
const child = spawn(path.join(root, 'node_modules', '.bin', 'tsx'), ['server/main.ts'], {
  cwd: root,
  stdio: 'inherit',
  env: { NODE_ENV: 'production', ...process.env },
});
for (const signal of ['SIGINT', 'SIGTERM']) process.on(signal, () => child.kill(signal));
child.on('exit', (code, signal) => process.exit(code ?? (signal ? 1 : 0)));
