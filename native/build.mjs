// Builds the optional native TFTP engine: the udp-sync addon (node-gyp, offline, against the
// local Node headers) and a plain-JS bundle of its worker, which starts in ~25 ms where loading
// the TypeScript sources through tsx takes ~150 ms. Without a toolchain it says so and exits 0:
// the TFTP client then uses its event-driven engine.
import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import fs from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const here = path.dirname(fileURLToPath(import.meta.url));
const repo = path.dirname(here);
const addonDir = path.join(here, 'udp-sync');
const require = createRequire(import.meta.url);

function skip(why) {
  console.log(`native/build.mjs: ${why}; the TFTP client will use its event-driven (JS) engine.`);
  process.exit(0);
}

function nodeGyp() {
  // npm ships node-gyp; prefer the one next to the running npm, else any on the PATH.
  const candidates = [];
  if (process.env.npm_execpath) candidates.push(path.join(path.dirname(process.env.npm_execpath), '..', 'node_modules', 'node-gyp', 'bin', 'node-gyp.js'));
  candidates.push(path.join(path.dirname(process.execPath), '..', 'lib', 'node_modules', 'npm', 'node_modules', 'node-gyp', 'bin', 'node-gyp.js'));
  try {
    candidates.push(require.resolve('node-gyp/bin/node-gyp.js'));
  } catch {
    // Not installed as a package: the npm-bundled copies above are the usual ones.
  }
  return candidates.find((c) => fs.existsSync(c)) ?? null;
}

/** A directory holding include/node/node_api.h, so that node-gyp never downloads headers. */
function nodeDir() {
  const candidates = [process.env.npm_config_nodedir, path.join(path.dirname(process.execPath), '..'), '/usr', '/usr/local'];
  return candidates.find((d) => d && fs.existsSync(path.join(d, 'include', 'node', 'node_api.h'))) ?? null;
}

const gyp = nodeGyp();
if (!gyp) skip('node-gyp not found');
const nodedir = nodeDir();
if (!nodedir) skip('Node headers (include/node/node_api.h) not found');
for (const tool of ['make', 'python3', process.env.CC ?? 'cc']) {
  try {
    execFileSync('sh', ['-c', `command -v ${tool}`], { stdio: 'ignore' });
  } catch {
    skip(`${tool} not found`);
  }
}

try {
  execFileSync(process.execPath, [gyp, 'rebuild', `--nodedir=${nodedir}`], { cwd: addonDir, stdio: 'inherit', env: { ...process.env, npm_config_offline: 'true' } });
} catch {
  skip('node-gyp rebuild failed (see above)');
}
console.log(`native/build.mjs: built ${path.relative(repo, path.join(addonDir, 'build', 'Release', 'udp_sync.node'))}`);

let esbuild;
try {
  esbuild = require(require.resolve('esbuild', { paths: [require.resolve('tsx')] }));
} catch {
  console.log('native/build.mjs: esbuild (from tsx) not found; the worker will load its TypeScript through tsx, ~120 ms slower to start.');
  process.exit(0);
}
// CommonJS: a worker boots ~5 ms sooner without the ES module loader, and that boot is on every
// transfer's clock.
const outfile = path.join(addonDir, 'build', 'nativeWorker.cjs');
const result = esbuild.buildSync({
  absWorkingDir: repo,
  entryPoints: ['server/tftp/nativeWorker.ts'],
  bundle: true,
  platform: 'node',
  format: 'cjs',
  target: 'node20',
  packages: 'external',
  metafile: true,
  outfile,
  logLevel: 'warning',
  // import.meta.url only serves nativeUdp's addonPath(), which the worker never calls: it is told
  // the addon's path in its workerData.
  logOverride: { 'empty-import-meta': 'silent' },
});
// The bundle is used only while these sources are unchanged (checked by content at run time).
const inputs = Object.fromEntries(
  Object.keys(result.metafile.inputs).map((file) => [
    file,
    createHash('sha256')
      .update(fs.readFileSync(path.join(repo, file)))
      .digest('hex'),
  ]),
);
fs.writeFileSync(path.join(addonDir, 'build', 'nativeWorker.inputs.json'), `${JSON.stringify(inputs, null, 2)}\n`);
console.log(`native/build.mjs: bundled ${path.relative(repo, outfile)} from ${Object.keys(inputs).length} sources`);
