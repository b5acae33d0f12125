import path from 'node:path';
import { parseArgs } from 'node:util';
import { DEMO_BUNDLE_VERSION, ensureDemoBundle } from './demoBundle';

// `npm run demo-bundle -- DIR`: writes the demo's AP bundle (17.12.1.5, random image bytes, no signature manifest)
// below DIR for an image server of your own, e.g. Debian's tftpd-hpa serving DIR, when the console runs without its
// demo servers (EWC_DEMO=0), as several nodes do (README, *Several nodes*). Unsigned: an admin trusts its files once.
const USAGE = 'usage: npm run demo-bundle -- DIR [--size scaled|real]';
let parsed;
try {
  parsed = parseArgs({ allowPositionals: true, options: { size: { type: 'string', default: 'scaled' } } });
} catch (error) {
  console.error(`${(error as Error).message}\n${USAGE}`);
  process.exit(2);
}
const { positionals, values } = parsed;
if (positionals.length !== 1 || (values.size !== 'scaled' && values.size !== 'real')) {
  console.error(USAGE);
  process.exit(2);
}
const root = path.resolve(positionals[0]);
const bundle = ensureDemoBundle(root, values.size);
console.log(`Bundle ${DEMO_BUNDLE_VERSION} (no signature manifest) in ${path.join(root, bundle.imagePath)}: Image Path ${bundle.imagePath} on a server whose root is ${root}`);
for (const file of bundle.files) console.log(`  ${file.name.padEnd(24)} ${file.size} bytes`);
