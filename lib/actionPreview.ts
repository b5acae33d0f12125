import { z } from 'zod';
import { ROLLOUT_STRATEGIES } from './rollout';
import { UPGRADE_STAGES } from './upgradeStage';

/**
 * What a command on the whole network would do if confirmed now, for the page's confirmation
 * dialogs. The server works it out with the same rules the command then follows (the wave planner,
 * the set of APs a cancel stops), so the dialog's numbers are the command's.
 */
export const activationPreviewSchema = z.object({
  /** Null before any predownload: an activation scheduled ahead of it reloads whatever is complete by then. */
  upgradeId: z.number().nullable(),
  stage: z.enum(UPGRADE_STAGES),
  targetVersion: z.string().nullable(),
  targetControllerVersion: z.string().nullable(),
  strategy: z.enum(ROLLOUT_STRATEGIES),
  /** APs that reload: their predownload completed and they are not excluded. */
  apCount: z.number(),
  /** APs per wave, in the order the waves run; one wave for all at once. */
  waves: z.array(z.number()),
  /** The AP that hosts the controller reloads, in the last wave: the controller then runs the target controller version. */
  controllerApReloads: z.boolean(),
  /** Some AP of the fleet hosts the controller; when it does not reload, the controller keeps the version it runs. */
  controllerHosted: z.boolean(),
  /** Completed APs excluded from activation: they keep the new image as backup. */
  excluded: z.number(),
  /** APs of this upgrade whose predownload has not completed (yet): they do not reload. */
  notComplete: z.number(),
});
export type ActivationPreview = z.infer<typeof activationPreviewSchema>;

export const cancelPreviewSchema = z.object({
  upgradeId: z.number(),
  stage: z.enum(UPGRADE_STAGES),
  targetVersion: z.string().nullable(),
  /** APs whose transfer is queued, under way or waiting to retry: they stop, drop their partial image and show Aborted. */
  stopping: z.number(),
  /** APs that completed: they keep the new image as their backup image. */
  completed: z.number(),
});
export type CancelPreview = z.infer<typeof cancelPreviewSchema>;
