import type { ImageOffer } from '../../lib/capwapEvents';
import type { EndReply, PrecheckReply } from '../../lib/capwapReplies';
import type { DeliveryOptions, SessionEndpoints } from '../capwap/apSession';
import type { ConsoleConfig } from '../config';

/**
 * What the predownload engine asks of one connected AP. The production link is its CAPWAP session
 * (`ApSession`); a unit test gives a fake, so that retries, slots and cancels are tested without
 * sockets. `deliver` resumes from what the AP holds, never beyond `maxResumeOffset`.
 */
export interface ApLink {
  precheck(offer: ImageOffer): Promise<PrecheckReply>;
  deliver(offer: ImageOffer, filePath: string, options: DeliveryOptions): Promise<EndReply>;
  abort(reason: string, cannotStart?: boolean): Promise<void>;
}

/** The APs the engine can reach now (the production one is the `ApRegistry`). */
export interface ApLinks {
  get(mac: string): ApLink | undefined;
  isConnected(mac: string): boolean;
  /** The addresses the EWC's image download line names; null once the AP is gone. */
  endpoints(mac: string): SessionEndpoints | null;
}

/** The configuration a predownload engine reads: its slot limit, its retry policy and the signing policy. */
export type EngineConfig = Pick<ConsoleConfig, 'maxConcurrentPredownloads' | 'retry' | 'unsignedImages' | 'vendorKeyDir'>;
