import fs from 'node:fs';
import path from 'node:path';
import type { ApImageReport } from '../../../lib/apImage';
import { DEMO_IMAGE_PATH, ensureDemoBundle } from '../demo/demoBundle';
import { DEMO_FLEET } from '../demo/demoFleet';
import { ADMIN, waitFor } from './consoleHarness';
import { startTftpdHpa, type RunningTftpd } from './tftpdHpa';
import { startHttpsConsole, type HttpsConsole } from './httpsConsole';

export const FAILING_AP = DEMO_FLEET[0]; // AP-POD-2-2, ap3g3: its image is missing from the bundle
export const CONTROLLER_AP = DEMO_FLEET[1]; // AP6C41.0E16.E79C, hosts the controller
export const SLOW_AP = DEMO_FLEET[2]; // 9105-emorenoa, on a 16 kbit/s link: still receiving when the test reads
export const QUICK_AP = DEMO_FLEET[3]; // AP-9117
export const FLEET = [FAILING_AP, CONTROLLER_AP, SLOW_AP, QUICK_AP];

export interface SettledPredownload {
  console: HttpsConsole;
  tftpd: RunningTftpd;
  dispose(): Promise<void>;
}

/**
 * A predownload that stays under way at a settled moment: Predownload in progress, one AP Failed waiting
 * for a retry ten minutes away (its image type is missing from the bundle), two APs Complete (one of them
 * the AP hosting the controller, controller image included), one AP still receiving its image on a slow
 * link. Counters and statuses stay put while a test compares surfaces; only the slow AP's percent moves.
 */
export async function startSettledPredownload(dir: string): Promise<SettledPredownload> {
  ensureDemoBundle(dir, 'scaled');
  fs.rmSync(path.join(dir, DEMO_IMAGE_PATH, FAILING_AP.imageType));
  const tftpd = await startTftpdHpa({ root: dir });
  const c = await startHttpsConsole({ EWC_RETRY_BASE_MS: '600000' });
  await c.startFleet([FAILING_AP, CONTROLLER_AP, QUICK_AP]);
  await c.startFleet([SLOW_AP], 16);
  const started = await c.instance.api.startDownload({ mode: 'TFTP', parallelMode: true, tftp: { imageServer: '127.0.0.1', imagePath: DEMO_IMAGE_PATH, port: tftpd.port } }, ADMIN);
  if (started.status !== 202) throw new Error(`The predownload did not start: ${JSON.stringify(started.body)}`);
  await waitFor(
    'one AP failed, two complete, one receiving',
    () => (c.instance.api.getApImage().body as ApImageReport).summary,
    (s) => s.failedToPredownload === 1 && s.completedPredownloading === 2 && s.predownloading === 1 && s.predownloadInProgress,
    120_000,
  );
  return {
    console: c,
    tftpd,
    dispose: async () => {
      await c.dispose();
      await tftpd.stop();
    },
  };
}
