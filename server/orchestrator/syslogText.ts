import type { AccessPointRecord } from '../store/accessPointRepository';
import type { EventLine } from '../store/eventLog';

/** Event lines worded as the EWC's syslog words them, so an engineer can grep for the same text. */
export const syslogText = {
  installStart: (url: string): EventLine => ({
    severity: 'notice',
    facility: 'INSTALL-5-INSTALL_START_INFO',
    text: `Chassis 1 R0/0: install_engine: Started install add ${url}`,
  }),
  installCompleted: (url: string, detail: string): EventLine => ({
    severity: 'notice',
    facility: 'INSTALL-5-INSTALL_COMPLETED_INFO',
    text: `Chassis 1 R0/0: install_engine: Completed install add ${url} (${detail})`,
  }),
  downloadFailed: (url: string, reason: string): EventLine => ({
    severity: 'error',
    facility: 'INSTALL-3-OPERATION_ERROR_MESSAGE',
    text: `Chassis 1 R0/0: install_engine: Failed to install_add package ${url}, Error: Failed to download file ${url}: ${reason}`,
  }),
  apEvent: (ap: AccessPointRecord, event: string, severity: EventLine['severity'] = 'notice'): EventLine => ({
    severity,
    facility: 'CAPWAPAC_SMGR_TRACE_MESSAGE-5-AP_JOIN_DISJOIN',
    text: `Chassis 1 R0/0: wncd: AP Event: AP Name: ${ap.name} Mac: ${ap.mac} ${event}`,
  }),
  upgrade: (text: string, severity: EventLine['severity'] = 'notice'): EventLine => ({
    severity,
    facility: severity === 'error' ? 'UPGRADE-3-AP_SW_UPDATE_ERROR' : 'UPGRADE-5-AP_SW_UPDATE_LOG_MSG',
    text,
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
