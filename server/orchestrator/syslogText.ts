import type { SessionEnd, SessionEndpoints } from '../capwap/apSession';
import type { AccessPointRecord } from '../store/accessPointRepository';
import type { EventLine } from '../store/eventLog';
import { UPGRADE_STAGE_LABEL, type UpgradeStage } from '../../lib/upgradeStage';

// An end the controller does not know (no session with the AP since this controller started): IOS's "no address".
const NO_END: SessionEnd = { address: '0.0.0.0', port: 0 };

const end = ({ address, port }: SessionEnd) => `${address}[${port}]`;

/**
 * Event lines worded exactly as the EWC's syslog words them (the seed's own lines), so an engineer can
 * grep, alert and scrape on the same text. Each form is written here once; every caller uses it.
 */
export const syslogText = {
  /** `Started install add URL`: before each fetch of a bundle file from the image server, each retry included. */
  installStart: (url: string): EventLine => ({
    severity: 'notice',
    facility: 'INSTALL-5-INSTALL_START_INFO',
    text: `Chassis 1 R0/0: install_engine: Started install add ${url}`,
  }),
  /** `Completed install add URL`, ending with the URL as the seed's does; the transfer's figures go in `fetchFigures`' line. */
  installCompleted: (url: string): EventLine => ({
    severity: 'notice',
    facility: 'INSTALL-5-INSTALL_COMPLETED_INFO',
    text: `Chassis 1 R0/0: install_engine: Completed install add ${url}`,
  }),
  downloadFailed: (url: string, reason: string): EventLine => ({
    severity: 'error',
    facility: 'INSTALL-3-OPERATION_ERROR_MESSAGE',
    text: `Chassis 1 R0/0: install_engine: Failed to install_add package ${url}, Error: ${downloadFailure(url, reason)}`,
  }),
  /** The line after `Completed install add`: size, time, rate and what the protocol negotiated. */
  fetchFigures: (url: string, figures: string): EventLine => ({
    severity: 'notice',
    facility: 'UPGRADE-5-AP_SW_UPDATE_LOG_MSG',
    text: `Image fetched: ${url}: ${figures}`,
  }),
  /**
   * The AP event that ends an AP's image download, a predownload's or one at join:
   * `AP Event: AP Name: X Mac: m Session-IP: AP[port] CONTROLLER[port] Disjoined Image Download Success|Failed`.
   * What the AP received, what verified it, or why it failed is the next line's (`apEvent`).
   */
  imageDownload: (ap: Pick<AccessPointRecord, 'name' | 'mac'>, session: SessionEndpoints | null, success: boolean): EventLine => ({
    severity: success ? 'notice' : 'error',
    facility: 'CAPWAPAC_SMGR_TRACE_MESSAGE-5-AP_JOIN_DISJOIN',
    text: `Chassis 1 R0/0: wncd: AP Event: AP Name: ${ap.name} Mac: ${ap.mac} Session-IP: ${end(session?.ap ?? NO_END)} ${end(session?.controller ?? NO_END)} Disjoined Image Download ${success ? 'Success' : 'Failed'}`,
  }),
  apEvent: (ap: Pick<AccessPointRecord, 'name' | 'mac'>, event: string, severity: EventLine['severity'] = 'notice'): EventLine => ({
    severity,
    facility: 'CAPWAPAC_SMGR_TRACE_MESSAGE-5-AP_JOIN_DISJOIN',
    text: `Chassis 1 R0/0: wncd: AP Event: AP Name: ${ap.name} Mac: ${ap.mac} ${event}`,
  }),
  upgrade: (text: string, severity: EventLine['severity'] = 'notice'): EventLine => ({
    severity,
    facility: severity === 'error' ? 'UPGRADE-3-AP_SW_UPDATE_ERROR' : 'UPGRADE-5-AP_SW_UPDATE_LOG_MSG',
    text,
  }),
  /** A restarted controller picks its upgrade up again (the stage as stored, the form scripts already grep). */
  restartResume: (upgradeId: number, stage: UpgradeStage): EventLine => syslogText.upgrade(`Controller restarted: resuming upgrade ${upgradeId} at stage ${stage}`),
  /** Another console node on the database led the upgrade and stopped; this node took the leader lock and carries it on (the stage as the page names it). */
  takeover: (node: string, upgradeId: number, stage: UpgradeStage): EventLine =>
    syslogText.upgrade(`Controller node ${node} took over upgrade ${upgradeId} at stage ${UPGRADE_STAGE_LABEL[stage]}`, 'warning'),
  /** One step of a firmware check, as the seed's `awc` log has one line per step (connected, certificate verified, challenge, AP info sent, firmware returned). */
  firmwareCheck: (step: string): EventLine => ({
    severity: 'notice',
    facility: 'UPGRADE-5-AP_SW_UPDATE_LOG_MSG',
    text: `Firmware check: ${step}`,
  }),
  apLog: (apName: string, line: string): EventLine => ({
    severity: 'info',
    facility: 'APMGR_TRACE_MESSAGE-6-AP_LOG',
    text: `${apName}: ${line}`,
  }),
};

/** The reason a failure is worded with, as the EWC's "Failed to download file URL: REASON". */
export function downloadFailure(url: string, reason: string): string {
  return `Failed to download file ${url}: ${reason}`;
}
