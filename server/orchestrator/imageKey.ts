import type { ImageKind } from '../../lib/capwapEvents';

/**
 * One image of one AP, as the run's maps key it (bytes sent, deliveries under way, places in line, progress): the AP
 * hosting the controller has two images of a run, each with its own transfer and its own place in line.
 */
export const imageKey = (kind: ImageKind, mac: string): string => `${kind}:${mac}`;
