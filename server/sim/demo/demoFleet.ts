import type { FleetAp } from '../ap/fleetSpec';

export const DEMO_FLEET_VERSION = '17.9.4.27';
export const DEMO_CONTROLLER_VERSION = '17.09.04a.0.6';

/** The seed's three APs (show ap image) and a few more of other image types. */
export const DEMO_FLEET: FleetAp[] = [
  {
    name: 'AP-POD-2-2',
    mac: '2c5a.0f40.6920',
    model: 'AIR-AP2802I-B-K9',
    imageType: 'ap3g3',
    primaryVersion: DEMO_FLEET_VERSION,
    backupVersion: '8.10.130.0',
    freeSpaceKb: 400_000,
    hostsController: false,
  },
  {
    name: 'AP6C41.0E16.E79C',
    mac: '6c41.0e16.e79c',
    model: 'C9120AXI-B',
    imageType: 'ap1g7',
    primaryVersion: DEMO_FLEET_VERSION,
    backupVersion: '17.3.3.26',
    freeSpaceKb: 800_000,
    hostsController: true,
    controllerPrimaryVersion: DEMO_CONTROLLER_VERSION,
    controllerBackupVersion: DEMO_CONTROLLER_VERSION,
  },
  {
    name: '9105-emorenoa',
    mac: '70f0.96a1.4e20',
    model: 'C9105AXI-B',
    imageType: 'ap1g8',
    primaryVersion: DEMO_FLEET_VERSION,
    backupVersion: '17.3.3.26',
    freeSpaceKb: 400_000,
    hostsController: false,
  },
  { name: 'AP-9117', mac: '0cd0.f897.ade0', model: 'C9117AXI-B', imageType: 'ap1g6', primaryVersion: DEMO_FLEET_VERSION, backupVersion: '17.3.3.26', freeSpaceKb: 400_000, hostsController: false },
  {
    name: 'AP-LOBBY-9115',
    mac: '04eb.409e.1c30',
    model: 'C9115AXI-B',
    imageType: 'ap1g7',
    primaryVersion: DEMO_FLEET_VERSION,
    backupVersion: '17.3.3.26',
    freeSpaceKb: 400_000,
    hostsController: false,
  },
  {
    name: 'AP-WAREHOUSE-1815',
    mac: '00a2.eeb1.7f40',
    model: 'AIR-AP1815I-B-K9',
    imageType: 'ap1g4',
    primaryVersion: DEMO_FLEET_VERSION,
    backupVersion: '8.10.130.0',
    freeSpaceKb: 400_000,
    hostsController: false,
  },
];
