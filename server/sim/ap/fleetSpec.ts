import fs from 'node:fs';
import { z } from 'zod';
import { macSchema } from '../../../lib/macAddress';
import { controllerUrlsSchema } from './controllerList';

/** One simulated AP, as an `EWC_FLEET_FILE` entry describes it. */
export const fleetApSchema = z.object({
  name: z.string().min(1).max(64),
  mac: macSchema,
  model: z.string().min(1).max(64),
  imageType: z.string().min(1).max(32),
  primaryVersion: z.string().min(1),
  backupVersion: z.string().default('0.0.0.0'),
  freeSpaceKb: z.number().int().min(0).default(400_000),
  hostsController: z.boolean().default(false),
  controllerPrimaryVersion: z.string().optional(),
  controllerBackupVersion: z.string().optional(),
  siteTag: z.string().min(1).max(64).optional(),
  neighbors: z.array(z.string()).optional(),
  /** This AP's primary, secondary and tertiary controllers, in place of the command line's `--controller` list. */
  controllers: controllerUrlsSchema.optional(),
  /** Simulator option: the AP fails its reload, coming back on the version it ran before. */
  failReload: z.boolean().optional(),
  /** Simulator option: how long the AP takes to check an image it has received before it answers (a real AP writes it to flash and checks its signature). */
  verifyDelayMs: z.number().int().min(0).max(60_000).optional(),
});
export type FleetAp = z.output<typeof fleetApSchema>;

export const fleetSchema = z.array(fleetApSchema).min(1, 'the fleet needs at least one AP');

export function readFleetFile(file: string): FleetAp[] {
  let raw: unknown;
  try {
    raw = JSON.parse(fs.readFileSync(file, 'utf8'));
  } catch (error) {
    throw new Error(`Cannot read the fleet file ${file}: ${(error as Error).message}`);
  }
  const parsed = fleetSchema.safeParse(raw);
  if (!parsed.success) {
    throw new Error(`Invalid fleet file ${file}:\n${parsed.error.issues.map((i) => `  [${i.path.join('.')}] ${i.message}`).join('\n')}`);
  }
  return parsed.data;
}
