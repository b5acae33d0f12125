import type { ApImageReport, ApImageSummary } from '../../lib/apImage';
import type { ApLiveFacts } from './accessPointOper';

/**
 * What RESTCONF reads, all of it from read functions the console already has for its page, API and
 * CLI: the AP image report (`GET /api/ap-image`, `show ap image`), the same counters over the APs
 * that host the controller, and the live facts of a joined AP. RESTCONF only maps them to YANG.
 */
export interface RestconfSources extends ApLiveFacts {
  /** The counters of `show ap image` for the whole fleet (cheap: the fleet's counters, no scan). */
  fleetSummary(): ApImageSummary;
  /** The same counters over the APs that host the controller. */
  controllerHostSummary(): ApImageSummary;
  /** Every AP's row, as `GET /api/ap-image` gives them. */
  apImage(): ApImageReport;
}
