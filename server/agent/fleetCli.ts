import path from 'node:path';
import { parseArgs } from 'node:util';
import { DEMO_FLEET, DEMO_FLEET_VERSION } from '../demo/demoFleet';
import { generatedFleet, startFleet } from './fleet';
import { readFleetFile } from './fleetSpec';

const USAGE = 'usage: npm run fleet -- --controller URL [--count N | --file FLEET.json] [--link-kbps N] [--data-dir DIR] [--reload-ms N]';

function main(): Promise<void> | void {
  let values;
  try {
    ({ values } = parseArgs({
      options: {
        controller: { type: 'string' },
        count: { type: 'string' },
        file: { type: 'string' },
        'link-kbps': { type: 'string', default: '0' },
        'data-dir': { type: 'string', default: '.data/fleet-cli' },
        'reload-ms': { type: 'string', default: '3000' },
      },
    }));
  } catch (error) {
    console.error(`${(error as Error).message}\n${USAGE}`);
    process.exit(2);
  }
  const count = values.count === undefined ? null : Number(values.count);
  if (!values.controller || (count !== null && (!Number.isInteger(count) || count < 1))) {
    console.error(USAGE);
    process.exit(2);
  }
  const aps = values.file ? readFleetFile(values.file) : count !== null ? generatedFleet(count, DEMO_FLEET_VERSION) : DEMO_FLEET;
  return startFleet({
    controllerUrl: values.controller,
    aps,
    storageRoot: path.resolve(values['data-dir']),
    linkKbps: Number(values['link-kbps']),
    reloadMs: Number(values['reload-ms']),
  }).then((fleet) => {
    console.log(`${fleet.agents.length} APs joined ${values.controller}`);
    const shutdown = () => void fleet.stop().then(() => process.exit(0));
    process.on('SIGINT', shutdown);
    process.on('SIGTERM', shutdown);
  });
}

Promise.resolve(main()).catch((error: Error) => {
  console.error(error.message);
  process.exit(1);
});
