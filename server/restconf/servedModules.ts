import { ACCESS_POINT_OPER, accessPointOperData } from './accessPointOper';
import { AP_GLOBAL_OPER, apGlobalOperData } from './apGlobalOper';
import type { Lists, YangObject } from './dataTree';
import type { RestconfSources } from './restconfSources';

/** A YANG module this server answers for: its top container, XML namespace, lists, and how its data is read. */
export interface ServedModule {
  name: string;
  namespace: string;
  top: string;
  lists: Lists;
  read(sources: RestconfSources): YangObject;
}

const exact = (a: string, b: string) => a === b;
// yang:mac-address allows either case; the console writes lower case.
const anyCase = (a: string, b: string) => a.toLowerCase() === b.toLowerCase();

/** Cisco IOS-XE 17.12's modules (YangModels/yang, vendor/cisco/xe/17121), as far as the console's data goes. */
export const SERVED_MODULES: readonly ServedModule[] = [
  {
    name: AP_GLOBAL_OPER,
    namespace: `http://cisco.com/ns/yang/${AP_GLOBAL_OPER}`,
    top: 'ap-global-oper-data',
    lists: {},
    read: (sources) => apGlobalOperData(sources.fleetSummary(), sources.controllerHostSummary()),
  },
  {
    name: ACCESS_POINT_OPER,
    namespace: `http://cisco.com/ns/yang/${ACCESS_POINT_OPER}`,
    top: 'access-point-oper-data',
    lists: { 'capwap-data': { keys: ['wtp-mac'], sameKey: anyCase }, 'ap-name-mac-map': { keys: ['wtp-name'], sameKey: exact } },
    read: (sources) => accessPointOperData(sources.apImage().aps, sources),
  },
];
