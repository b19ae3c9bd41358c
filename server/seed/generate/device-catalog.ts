/**
 * Real-world hardware and operating systems per device kind, so a technician reading the demo
 * sees what they would see in the field. MAC prefixes are the vendors' registered OUIs.
 */
import type { DeviceKind } from './context.ts';
import type { SiteKind } from './places.ts';

/** How a device reports: an agent (full inventory), MDM (mobile), or SNMP/cloud polling. */
export type OsFamily = 'windows' | 'macos' | 'linux' | 'esxi' | 'android' | 'ios' | 'firmware';

export interface OsSpec {
  readonly name: string;
  readonly version: string;
  readonly family: OsFamily;
}

export interface ModelSpec {
  readonly name: string;
  readonly oui: string;
  /** Serial number pattern for Random.fromPattern. */
  readonly serial: string;
  readonly os: readonly (readonly [OsSpec, number])[];
  readonly cpu?: readonly [model: string, cores: number];
  readonly memoryGb?: readonly number[];
  readonly storageGb?: readonly number[];
  /** Overrides the kind's hostname code, e.g. `lbl` for label printers. */
  readonly hostCode?: string;
  /** Where this model is found; everywhere when absent. */
  readonly siteKinds?: readonly SiteKind[];
}

export interface KindSpec {
  readonly hostCode: string;
  readonly models: readonly ModelSpec[];
  /** A network's backbone: offline means the whole site suffers. */
  readonly isInfrastructure: boolean;
  readonly macCount: readonly [number, number];
  readonly cpuBasePercent: number;
  readonly memoryBasePercent: number;
  readonly uptimeDays: readonly [number, number];
  readonly softwareCount: readonly [number, number];
  readonly hasLoadTrend: boolean;
}

const os = (name: string, version: string, family: OsFamily): OsSpec => ({ name, version, family });

const WIN11 = os('Windows 11 Pro', '23H2 (22631.4317)', 'windows');
const WIN11_24H2 = os('Windows 11 Pro', '24H2 (26100.2033)', 'windows');
const WIN11_ENT = os('Windows 11 Enterprise', '23H2 (22631.4317)', 'windows');
const WIN10 = os('Windows 10 Pro', '22H2 (19045.5011)', 'windows');
const SONOMA = os('macOS Sonoma', '14.7', 'macos');
const SEQUOIA = os('macOS Sequoia', '15.1', 'macos');
const UBUNTU = os('Ubuntu', '22.04.5 LTS', 'linux');
const UBUNTU_24 = os('Ubuntu', '24.04.1 LTS', 'linux');
const WS2022 = os('Windows Server 2022 Standard', '21H2 (20348.2762)', 'windows');
const WS2019 = os('Windows Server 2019 Standard', '1809 (17763.6414)', 'windows');
const RHEL = os('Red Hat Enterprise Linux', '9.4', 'linux');
const ESXI = os('VMware ESXi', '8.0 Update 3', 'esxi');
const WIN10_IOT = os('Windows 10 IoT Enterprise LTSC 2021', '21H2 (19044.5011)', 'windows');
const WIN11_IOT = os('Windows 11 IoT Enterprise LTSC 2024', '24H2 (26100.2033)', 'windows');
const ANDROID_14 = os('Android', '14', 'android');
const ANDROID_13 = os('Android', '13', 'android');
const ANDROID_11 = os('Android', '11', 'android');
const IOS = os('iOS', '17.7', 'ios');
const IPADOS = os('iPadOS', '17.7', 'ios');
const firmware = (name: string, version: string) => os(name, version, 'firmware');

const WINDOWS_DESKTOP = [[WIN11, 6], [WIN11_24H2, 2], [WIN10, 2]] as const;
const WINDOWS_LAPTOP = [[WIN11_ENT, 5], [WIN11_24H2, 3], [WIN10, 1]] as const;
const MAC = [[SONOMA, 2], [SEQUOIA, 3]] as const;

export const KIND_SPECS: Readonly<Record<DeviceKind, KindSpec>> = {
  workstation: {
    hostCode: 'ws', isInfrastructure: false, macCount: [1, 1], cpuBasePercent: 12, memoryBasePercent: 55,
    uptimeDays: [0.1, 12], softwareCount: [90, 240], hasLoadTrend: true,
    models: [
      { name: 'Dell OptiPlex 7010 Micro', oui: 'f8:bc:12', serial: 'XXXXXXX', os: WINDOWS_DESKTOP, cpu: ['Intel Core i5-13500T', 14], memoryGb: [8, 16, 16, 32], storageGb: [256, 512] },
      { name: 'HP EliteDesk 800 G9 Mini', oui: 'fc:15:b4', serial: 'CZC###XXXX', os: WINDOWS_DESKTOP, cpu: ['Intel Core i7-12700T', 12], memoryGb: [16, 32], storageGb: [512] },
      { name: 'Lenovo ThinkCentre M90q Gen 4', oui: '98:fa:9b', serial: 'MJ0XXXXX', os: WINDOWS_DESKTOP, cpu: ['Intel Core i5-13500T', 14], memoryGb: [16], storageGb: [256, 512] },
      { name: 'Apple iMac 24-inch (M3)', oui: 'a4:83:e7', serial: 'XXXXXXXXXX', os: MAC, cpu: ['Apple M3', 8], memoryGb: [8, 16], storageGb: [256, 512], siteKinds: ['office'] },
    ],
  },
  laptop: {
    hostCode: 'lt', isInfrastructure: false, macCount: [2, 2], cpuBasePercent: 14, memoryBasePercent: 60,
    uptimeDays: [0.05, 6], softwareCount: [100, 280], hasLoadTrend: true,
    models: [
      { name: 'Dell Latitude 5440', oui: 'f8:bc:12', serial: 'XXXXXXX', os: WINDOWS_LAPTOP, cpu: ['Intel Core i5-1345U', 10], memoryGb: [16, 16, 32], storageGb: [256, 512] },
      { name: 'Lenovo ThinkPad T14 Gen 4', oui: '98:fa:9b', serial: 'PF4XXXXX', os: WINDOWS_LAPTOP, cpu: ['AMD Ryzen 7 PRO 7840U', 8], memoryGb: [16, 32], storageGb: [512, 1024] },
      { name: 'HP EliteBook 840 G10', oui: 'fc:15:b4', serial: '5CG###XXXX', os: WINDOWS_LAPTOP, cpu: ['Intel Core i7-1365U', 10], memoryGb: [16, 32], storageGb: [512] },
      { name: 'Apple MacBook Air 13-inch (M2)', oui: 'a4:83:e7', serial: 'XXXXXXXXXX', os: MAC, cpu: ['Apple M2', 8], memoryGb: [8, 16], storageGb: [256, 512] },
      { name: 'Apple MacBook Pro 14-inch (M3 Pro)', oui: 'f0:18:98', serial: 'XXXXXXXXXX', os: MAC, cpu: ['Apple M3 Pro', 11], memoryGb: [18, 36], storageGb: [512, 1024], siteKinds: ['office'] },
    ],
  },
  server: {
    hostCode: 'srv', isInfrastructure: true, macCount: [2, 4], cpuBasePercent: 20, memoryBasePercent: 64,
    uptimeDays: [3, 60], softwareCount: [40, 160], hasLoadTrend: true,
    models: [
      { name: 'Dell PowerEdge R650', oui: 'b0:7b:25', serial: 'XXXXXXX', os: [[WS2022, 4], [WS2019, 1], [ESXI, 2], [UBUNTU, 1]], cpu: ['Intel Xeon Silver 4314', 16], memoryGb: [64, 128, 256], storageGb: [1920, 3840], siteKinds: ['office', 'warehouse'] },
      { name: 'HPE ProLiant DL380 Gen10 Plus', oui: '94:40:c9', serial: 'CZJ###XXXX', os: [[WS2022, 3], [RHEL, 2], [ESXI, 1]], cpu: ['Intel Xeon Gold 5318Y', 24], memoryGb: [128, 256], storageGb: [3840, 7680], siteKinds: ['office'] },
      { name: 'Lenovo ThinkSystem SR630 V2', oui: '98:fa:9b', serial: 'J30XXXXX', os: [[UBUNTU_24, 2], [WS2022, 1]], cpu: ['Intel Xeon Silver 4310', 12], memoryGb: [64, 128], storageGb: [1920], siteKinds: ['office', 'warehouse'] },
      { name: 'Dell PowerEdge T150', oui: 'b0:7b:25', serial: 'XXXXXXX', os: [[WS2022, 3], [WS2019, 2]], cpu: ['Intel Xeon E-2314', 4], memoryGb: [16, 32], storageGb: [960, 1920] },
    ],
  },
  pos: {
    hostCode: 'pos', isInfrastructure: false, macCount: [1, 1], cpuBasePercent: 8, memoryBasePercent: 45,
    uptimeDays: [0.3, 7], softwareCount: [35, 80], hasLoadTrend: true,
    models: [
      { name: 'NCR RealPOS XR7 Plus', oui: '00:06:29', serial: '7##-######', os: [[WIN10_IOT, 3], [WIN11_IOT, 1]], cpu: ['Intel Core i5-8500T', 6], memoryGb: [8], storageGb: [128, 256] },
      { name: 'Toshiba TCx810', oui: '00:00:39', serial: '4852E##XXXXX', os: [[WIN10_IOT, 2], [WIN11_IOT, 1]], cpu: ['Intel Core i3-8100T', 4], memoryGb: [8, 16], storageGb: [256] },
      { name: 'HP Engage One Pro', oui: 'fc:15:b4', serial: 'MXL###XXXX', os: [[WIN11_IOT, 2], [WIN10_IOT, 1]], cpu: ['Intel Core i5-1145G7E', 4], memoryGb: [8, 16], storageGb: [256] },
    ],
  },
  router: {
    hostCode: 'rtr', isInfrastructure: true, macCount: [1, 1], cpuBasePercent: 12, memoryBasePercent: 38,
    uptimeDays: [10, 300], softwareCount: [0, 0], hasLoadTrend: true,
    models: [
      { name: 'Cisco ISR 1111-8P', oui: '70:db:98', serial: 'FGL####XXXX', os: [[firmware('Cisco IOS XE', '17.9.4a'), 1]], memoryGb: [4] },
      { name: 'MikroTik RB5009UG+S+IN', oui: '48:8f:5a', serial: 'HXXXXXXXXXX', os: [[firmware('RouterOS', '7.15.3'), 1]], memoryGb: [1] },
      { name: 'Cradlepoint E300-C4D', oui: '00:30:44', serial: 'WA###########', os: [[firmware('NetCloud OS', '7.24.40'), 1]], memoryGb: [1], siteKinds: ['store', 'clinic'] },
    ],
  },
  switch: {
    hostCode: 'sw', isInfrastructure: true, macCount: [1, 1], cpuBasePercent: 7, memoryBasePercent: 42,
    uptimeDays: [20, 420], softwareCount: [0, 0], hasLoadTrend: true,
    models: [
      { name: 'Cisco Catalyst 9200L-24P-4G', oui: 'f4:cf:e2', serial: 'JAE####XXXX', os: [[firmware('Cisco IOS XE', '17.9.5'), 1]], memoryGb: [4] },
      { name: 'Aruba CX 6100 24G Class4 PoE', oui: '94:b4:0f', serial: 'SG##XXXXXX', os: [[firmware('ArubaOS-CX', '10.13.1000'), 1]], memoryGb: [2] },
      { name: 'Ubiquiti UniFi USW-Pro-24-PoE', oui: '74:83:c2', serial: 'hhhhhhhhhhhh', os: [[firmware('UniFi Switch', '7.1.26'), 1]], memoryGb: [1] },
    ],
  },
  'access-point': {
    hostCode: 'ap', isInfrastructure: false, macCount: [1, 1], cpuBasePercent: 9, memoryBasePercent: 48,
    uptimeDays: [5, 200], softwareCount: [0, 0], hasLoadTrend: true,
    models: [
      { name: 'Cisco Meraki MR46', oui: '0c:8d:db', serial: 'Q3AX-XXXX-XXXX', os: [[firmware('Meraki MR', '30.7'), 1]], memoryGb: [1] },
      { name: 'Aruba AP-515', oui: '20:4c:03', serial: 'CNX#XX####', os: [[firmware('ArubaOS Instant', '8.12.0.2'), 1]], memoryGb: [1] },
      { name: 'Ubiquiti UniFi U6-Pro', oui: 'f0:9f:c2', serial: 'hhhhhhhhhhhh', os: [[firmware('UniFi AP', '6.6.77'), 1]], memoryGb: [1] },
    ],
  },
  firewall: {
    hostCode: 'fw', isInfrastructure: true, macCount: [1, 1], cpuBasePercent: 18, memoryBasePercent: 55,
    uptimeDays: [15, 250], softwareCount: [0, 0], hasLoadTrend: true,
    models: [
      { name: 'Fortinet FortiGate 60F', oui: '90:6c:ac', serial: 'FGT60FTK2#######', os: [[firmware('FortiOS', '7.2.10'), 2], [firmware('FortiOS', '7.4.5'), 1]], memoryGb: [2] },
      { name: 'Palo Alto Networks PA-440', oui: '00:1b:17', serial: '0#########', os: [[firmware('PAN-OS', '11.1.4-h7'), 1]], memoryGb: [4] },
      { name: 'Netgate 6100', oui: '90:ec:77', serial: '2###########', os: [[firmware('pfSense Plus', '24.08'), 1]], memoryGb: [8], siteKinds: ['store', 'warehouse'] },
    ],
  },
  printer: {
    hostCode: 'prn', isInfrastructure: false, macCount: [1, 1], cpuBasePercent: 0, memoryBasePercent: 0,
    uptimeDays: [1, 60], softwareCount: [0, 0], hasLoadTrend: false,
    models: [
      { name: 'HP LaserJet Pro M404dn', oui: 'fc:15:b4', serial: 'PHB#X#####', os: [[firmware('HP FutureSmart', '5.7.1'), 1]] },
      { name: 'HP Color LaserJet Pro MFP M479fdw', oui: 'fc:15:b4', serial: 'CNB#X#####', os: [[firmware('HP FutureSmart', '5.7.1'), 1]], siteKinds: ['office', 'clinic'] },
      { name: 'Brother HL-L6210DW', oui: '30:05:5c', serial: 'U6####A#N######', os: [[firmware('Brother firmware', '1.25'), 1]] },
      { name: 'Zebra ZD421 label printer', oui: '00:07:4d', serial: 'D4J#########', os: [[firmware('Zebra Link-OS', '7.1'), 1]], hostCode: 'lbl', siteKinds: ['warehouse', 'store', 'clinic'] },
      { name: 'Epson TM-T88VII receipt printer', oui: '64:eb:8c', serial: 'XAXX######', os: [[firmware('Epson TM firmware', '30.05 ESC/POS'), 1]], hostCode: 'rcp', siteKinds: ['store'] },
    ],
  },
  kiosk: {
    hostCode: 'ksk', isInfrastructure: false, macCount: [1, 1], cpuBasePercent: 10, memoryBasePercent: 50,
    uptimeDays: [0.5, 20], softwareCount: [15, 45], hasLoadTrend: true,
    models: [
      { name: 'Elo I-Series 4 22-inch', oui: '00:1a:6b', serial: 'E######', os: [[os('Android', '12 (EloView)', 'android'), 1]], cpu: ['Qualcomm Snapdragon 660', 8], memoryGb: [4], storageGb: [32] },
      { name: 'Elo 2202L with Backpack 4', oui: '00:1a:6b', serial: 'E######', os: [[WIN10_IOT, 2], [WIN11_IOT, 1]], cpu: ['Intel Core i5-8500T', 6], memoryGb: [8], storageGb: [128] },
    ],
  },
  phone: {
    hostCode: 'ph', isInfrastructure: false, macCount: [1, 1], cpuBasePercent: 0, memoryBasePercent: 0,
    uptimeDays: [1, 90], softwareCount: [0, 0], hasLoadTrend: false,
    models: [
      { name: 'Cisco IP Phone 8845', oui: '70:db:98', serial: 'FCH####XXXX', os: [[firmware('Cisco SIP firmware', 'sip88xx.14-2-1MN'), 1]] },
      { name: 'Poly VVX 450', oui: '64:16:7f', serial: '6416hhhhhhhh', os: [[firmware('Poly UC Software', '6.4.6'), 1]] },
      { name: 'Yealink SIP-T54W', oui: '80:5e:c0', serial: '##############', os: [[firmware('Yealink firmware', '96.86.0.75'), 1]] },
      { name: 'Apple iPhone 14', oui: 'f0:18:98', serial: 'XXXXXXXXXX', os: [[IOS, 1]], memoryGb: [6], storageGb: [128] },
      { name: 'Samsung Galaxy XCover6 Pro', oui: '8c:71:f8', serial: 'R58X#XXXXXX', os: [[ANDROID_14, 1]], memoryGb: [6], storageGb: [128], siteKinds: ['warehouse', 'store'] },
    ],
  },
  tablet: {
    hostCode: 'tab', isInfrastructure: false, macCount: [1, 1], cpuBasePercent: 10, memoryBasePercent: 52,
    uptimeDays: [0.5, 25], softwareCount: [20, 90], hasLoadTrend: false,
    models: [
      { name: 'Apple iPad (10th generation)', oui: 'a4:83:e7', serial: 'XXXXXXXXXX', os: [[IPADOS, 1]], memoryGb: [4], storageGb: [64, 256] },
      { name: 'Samsung Galaxy Tab Active4 Pro', oui: '8c:71:f8', serial: 'R52X#XXXXXX', os: [[ANDROID_14, 2], [ANDROID_13, 1]], memoryGb: [4, 6], storageGb: [64, 128] },
      { name: 'Zebra ET40 enterprise tablet', oui: '00:07:4d', serial: '2############', os: [[ANDROID_13, 1]], memoryGb: [4], storageGb: [64], siteKinds: ['warehouse', 'store'] },
    ],
  },
  camera: {
    hostCode: 'cam', isInfrastructure: false, macCount: [1, 1], cpuBasePercent: 0, memoryBasePercent: 0,
    uptimeDays: [3, 300], softwareCount: [0, 0], hasLoadTrend: false,
    models: [
      { name: 'Axis P3265-LVE', oui: 'b8:a4:4f', serial: 'B8A44Fhhhhhh', os: [[firmware('AXIS OS', '11.11.109'), 1]] },
      { name: 'Axis M3086-V', oui: 'ac:cc:8e', serial: 'ACCC8Ehhhhhh', os: [[firmware('AXIS OS', '11.11.109'), 1]] },
      { name: 'Hikvision DS-2CD2386G2-IU', oui: '44:19:b6', serial: 'DS-2CD2386G2-IU20230###AAWR#########', os: [[firmware('Hikvision firmware', 'V5.7.15'), 1]] },
      { name: 'Verkada CD42', oui: 'e0:a7:00', serial: 'XXXX-XXX-XXX', os: [[firmware('Verkada firmware', '2.4.1'), 1]] },
    ],
  },
  other: {
    hostCode: 'dev', isInfrastructure: false, macCount: [1, 1], cpuBasePercent: 0, memoryBasePercent: 0,
    uptimeDays: [10, 500], softwareCount: [0, 0], hasLoadTrend: false,
    models: [
      { name: 'APC Smart-UPS SMT1500RM2UC', oui: '00:c0:b7', serial: 'AS####XXXXXX', os: [[firmware('APC NMC3 AOS', '2.5.0.8'), 1]], hostCode: 'ups' },
      { name: 'Zebra TC52 handheld computer', oui: '00:07:4d', serial: '2############', os: [[ANDROID_11, 1]], memoryGb: [4], storageGb: [32], hostCode: 'hh', siteKinds: ['warehouse', 'store'] },
      { name: 'Axis A1601 door controller', oui: 'b8:a4:4f', serial: 'B8A44Fhhhhhh', os: [[firmware('AXIS OS', '10.12.220'), 1]], hostCode: 'door', siteKinds: ['office', 'clinic'] },
    ],
  },
};

/** What each kind of site is made of, by weight. */
export const SITE_MIX: Readonly<Record<SiteKind, readonly (readonly [DeviceKind, number])[]>> = {
  store: [['pos', 30], ['printer', 10], ['access-point', 7], ['workstation', 5], ['camera', 14], ['phone', 5],
    ['tablet', 6], ['kiosk', 4], ['other', 6], ['switch', 3], ['router', 2], ['firewall', 1], ['laptop', 2]],
  warehouse: [['workstation', 12], ['laptop', 6], ['tablet', 10], ['other', 16], ['printer', 12], ['access-point', 14],
    ['switch', 7], ['router', 2], ['firewall', 2], ['camera', 12], ['phone', 4], ['server', 2]],
  office: [['workstation', 25], ['laptop', 30], ['server', 6], ['printer', 6], ['phone', 12], ['access-point', 8],
    ['switch', 6], ['firewall', 2], ['router', 2], ['camera', 3], ['tablet', 2], ['kiosk', 1], ['other', 2]],
  clinic: [['workstation', 25], ['laptop', 10], ['kiosk', 6], ['printer', 10], ['phone', 12], ['tablet', 10],
    ['access-point', 8], ['switch', 4], ['router', 3], ['firewall', 2], ['server', 2], ['camera', 4], ['other', 3]],
};

/** The first devices of any site: without them nothing else at the site works. */
export const SITE_ESSENTIALS: Readonly<Record<SiteKind, readonly DeviceKind[]>> = {
  store: ['router', 'switch', 'pos', 'pos', 'access-point', 'pos', 'printer', 'workstation', 'firewall'],
  warehouse: ['router', 'firewall', 'switch', 'access-point', 'workstation', 'printer', 'server'],
  office: ['firewall', 'router', 'switch', 'server', 'access-point', 'workstation', 'laptop', 'printer'],
  clinic: ['router', 'firewall', 'switch', 'workstation', 'access-point', 'kiosk', 'printer'],
};

/** How many devices a site of each kind has, relative to a store. */
export const SITE_SIZE: Readonly<Record<SiteKind, number>> = { store: 1, clinic: 1.2, warehouse: 1.8, office: 2.2 };
