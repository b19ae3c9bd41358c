import type { Device } from '../../../shared/schema/index.ts';
import type { Random } from '../random.ts';
import {
  DAY, HOUR, MINUTE, allocate, iso, latest, readableTime,
  type DeviceKind, type DeviceRecord, type OrgContext, type SiteInfo,
} from './context.ts';
import {
  KIND_SPECS, SITE_ESSENTIALS, SITE_MIX, SITE_SIZE, type KindSpec, type ModelSpec, type OsFamily,
} from './device-catalog.ts';
import { evaluateFindings, healthOf, type Finding } from './health.ts';
import { FIRST_NAMES, LAST_NAMES, type SiteKind } from './places.ts';

type Inventory = NonNullable<Device['inventory']>;
type Telemetry = NonNullable<Device['telemetry']>;
type TrendPoint = Device['trend'][number];
type Level = 'warning' | 'critical';

const GB = 1e9;
const GIB = 2 ** 30;
const TREND_HOURS = 24;

/** Faults planted in a device's data; health is then derived from the data, not from this list. */
interface Problems {
  readonly disk?: Level;
  readonly memory?: Level;
  readonly isCpuPegged: boolean;
  readonly hasUpdatesPiledUp: boolean;
  readonly isAntivirusOff: boolean;
  readonly isFirewallOff: boolean;
  readonly hasLongUptime: boolean;
  readonly reported: readonly Finding[];
}

const NO_PROBLEMS: Problems = {
  isCpuPegged: false, hasUpdatesPiledUp: false, isAntivirusOff: false, isFirewallOff: false, hasLongUptime: false, reported: [],
};

const modelCache = new Map<string, readonly ModelSpec[]>();
function modelsFor(kind: DeviceKind, siteKind: SiteKind): readonly ModelSpec[] {
  const key = `${kind}|${siteKind}`;
  let models = modelCache.get(key);
  if (!models) {
    const all = KIND_SPECS[kind].models;
    const fitting = all.filter((m) => !m.siteKinds || m.siteKinds.includes(siteKind));
    models = fitting.length > 0 ? fitting : all;
    modelCache.set(key, models);
  }
  return models;
}

/** ISO strings of hour boundaries, shared by every device's trend (10,000 devices × 24 points). */
class HourLabels {
  readonly #labels = new Map<number, string>();
  at(ms: number): string {
    let label = this.#labels.get(ms);
    if (label === undefined) {
      label = iso(ms);
      this.#labels.set(ms, label);
    }
    return label;
  }
}

const clamp = (value: number, min: number, max: number) => Math.min(max, Math.max(min, value));
const round1 = (value: number) => Math.round(value * 10) / 10;
const hex2 = (rng: Random) => rng.int(0, 255).toString(16).padStart(2, '0');
const isAgentFamily = (family: OsFamily) => family === 'windows' || family === 'macos' || family === 'linux';

function kindsFor(rng: Random, siteKind: SiteKind, count: number): DeviceKind[] {
  const essentials = SITE_ESSENTIALS[siteKind];
  const kinds: DeviceKind[] = essentials.slice(0, count);
  while (kinds.length < count) kinds.push(rng.weighted(SITE_MIX[siteKind]));
  return kinds;
}

function statusFor(rng: Random, kind: DeviceKind, spec: KindSpec): Device['status'] {
  if (spec.isInfrastructure) return rng.weighted([['online', 94], ['offline', 3], ['stale', 2], ['retired', 1]] as const);
  // Laptops go home at night, so many are offline without anything being wrong.
  if (kind === 'laptop') return rng.weighted([['online', 70], ['offline', 18], ['stale', 8], ['retired', 4]] as const);
  return rng.weighted([['online', 85], ['offline', 6], ['stale', 5], ['retired', 4]] as const);
}

function lastSeenFor(rng: Random, status: Device['status'], kind: DeviceKind, now: number): number {
  switch (status) {
    case 'online': return now - rng.int(20_000, 15 * MINUTE);
    case 'offline': return now - (kind === 'laptop' ? rng.int(8 * HOUR, 4 * DAY) : rng.int(20 * MINUTE, 3 * DAY));
    case 'stale': return now - rng.int(2 * DAY, 21 * DAY);
    case 'retired': return now - rng.int(30 * DAY, 400 * DAY);
  }
}

const SERVICES: Readonly<Partial<Record<DeviceKind, readonly string[]>>> = {
  workstation: ['Print Spooler', 'Windows Update', 'Microsoft Defender Antivirus Service'],
  laptop: ['Windows Update', 'GlobalProtect Service', 'Microsoft Intune Management Extension'],
  server: ['Veeam Backup Service', 'SQL Server (MSSQLSERVER)', 'DFS Replication', 'DHCP Server'],
  pos: ['OPOS Service', 'NCR Retail Agent', 'Payment Gateway Connector'],
  kiosk: ['Kiosk Shell Launcher', 'Check-in Sync Service'],
};

function drawProblems(rng: Random, kind: DeviceKind, spec: KindSpec, family: OsFamily): Problems {
  const isAgent = isAgentFamily(family);
  const hasStorage = family !== 'firmware';
  const reported: Finding[] = [];
  const services = SERVICES[kind];
  if (family === 'windows' && services && rng.chance(0.015)) {
    reported.push({ rule: 'service.stopped', severity: kind === 'server' ? 'critical' : 'warning', message: `Service "${rng.pick(services)}" is stopped` });
  }
  if (isAgent && rng.chance(0.01)) {
    const seconds = rng.int(65, 900);
    reported.push({ rule: 'clock.skew', severity: 'warning', message: `Clock ${seconds} s ${rng.chance(0.5) ? 'ahead of' : 'behind'} server time` });
  }
  const level = (criticalShare: number): Level => (rng.chance(criticalShare) ? 'critical' : 'warning');
  const disk = hasStorage && rng.chance(isAgent ? 0.06 : 0.03) ? level(0.35) : undefined;
  const memory = spec.hasLoadTrend && rng.chance(0.035) ? level(0.4) : undefined;
  return {
    ...(disk ? { disk } : {}),
    ...(memory ? { memory } : {}),
    isCpuPegged: spec.hasLoadTrend && rng.chance(kind === 'server' ? 0.06 : 0.015),
    hasUpdatesPiledUp: hasStorage && family !== 'esxi' && rng.chance(0.05),
    isAntivirusOff: family === 'windows' && rng.chance(0.012),
    isFirewallOff: (family === 'windows' || family === 'macos') && rng.chance(0.012),
    hasLongUptime: isAgent && rng.chance(0.035),
    reported,
  };
}

function diskPlan(model: ModelSpec, kind: DeviceKind, family: OsFamily, rng: Random): [string, number][] {
  const storage = rng.pick(model.storageGb ?? [0]);
  if (storage === 0) return [];
  switch (family) {
    case 'windows':
      return kind === 'server' ? [['C:', 240], ['D:', storage]] : [['C:', storage]];
    case 'macos': return [['/', storage]];
    case 'linux': return kind === 'server' ? [['/', 100], ['/var', 200], ['/data', storage - 300]] : [['/', storage]];
    case 'esxi': return [['datastore1', storage]];
    case 'android': return [['/data', storage]];
    case 'ios': return [['Internal storage', storage]];
    case 'firmware': return [];
  }
}

function buildDisks(rng: Random, plan: [string, number][], problem: Level | undefined): Inventory['disks'] {
  // The fault lands on the disk that fills up in practice: the data disk when there is one.
  const faultyIndex = plan.length - 1;
  return plan.map(([id, gb], index) => {
    const totalBytes = Math.floor(gb * GB * 0.985);
    const freePercent = index === faultyIndex && problem
      ? (problem === 'critical' ? rng.float(0.8, 4.8) : rng.float(5.5, 14.5))
      : rng.float(22, 82);
    return { id, totalBytes, freeBytes: Math.floor((totalBytes * freePercent) / 100) };
  });
}

function pendingUpdatesFor(rng: Random, family: OsFamily, problems: Problems): number | undefined {
  if (family === 'firmware' || family === 'esxi') return undefined;
  if (problems.hasUpdatesPiledUp) return rng.int(15, 64);
  if (family === 'linux') return rng.weighted([[0, 4], [rng.int(1, 12), 3]] as const);
  return rng.weighted([[0, 6], [rng.int(1, 4), 3], [rng.int(5, 9), 1]] as const);
}

function buildInventory(
  rng: Random, kind: DeviceKind, spec: KindSpec, model: ModelSpec, family: OsFamily, observedAt: number, problems: Problems,
): Inventory {
  const uptimeDays = problems.hasLongUptime
    ? (kind === 'server' ? rng.float(91, 200) : rng.float(46, 120))
    : rng.float(spec.uptimeDays[0], spec.uptimeDays[1]);
  const uptimeSeconds = Math.round(uptimeDays * 86_400);
  const inventory: Inventory = {
    disks: buildDisks(rng, diskPlan(model, kind, family, rng), problems.disk),
    uptimeSeconds,
    lastBootAt: iso(observedAt - uptimeSeconds * 1000),
    observedAt: iso(observedAt),
  };
  if (model.cpu) {
    inventory.cpuModel = model.cpu[0];
    inventory.cpuCores = model.cpu[1];
  }
  if (model.memoryGb) inventory.memoryBytes = rng.pick(model.memoryGb) * GIB;
  const updates = pendingUpdatesFor(rng, family, problems);
  if (updates !== undefined) inventory.pendingUpdates = updates;
  if (isAgentFamily(family)) {
    inventory.antivirus = problems.isAntivirusOff ? 'off' : family === 'linux' ? rng.weighted([['unknown', 7], ['on', 3]] as const) : 'on';
    inventory.firewall = problems.isFirewallOff ? 'off' : 'on';
  } else if (family === 'esxi') {
    inventory.firewall = 'on';
  }
  if (family === 'linux') inventory.installedSoftwareCount = rng.int(480, 1400); // packages, not apps
  else if (family !== 'firmware' && family !== 'esxi') inventory.installedSoftwareCount = rng.int(spec.softwareCount[0], spec.softwareCount[1]);
  return inventory;
}

/** 24 hourly roll-ups ending at the last full hour the device was seen, busier in local business hours. */
function buildTrend(
  rng: Random, kind: DeviceKind, spec: KindSpec, site: SiteInfo, lastSeenMs: number, problems: Problems, hours: HourLabels,
): TrendPoint[] {
  const endHour = Math.floor(lastSeenMs / HOUR) * HOUR - HOUR;
  const cpuLevel = spec.cpuBasePercent * rng.float(0.6, 1.6);
  const memoryLevel = clamp(spec.memoryBasePercent + rng.normal(0, 7), 12, 80);
  const trend: TrendPoint[] = [];
  for (let back = TREND_HOURS - 1; back >= 0; back--) {
    const at = endHour - back * HOUR;
    const localHour = (((at / HOUR + site.utcOffsetHours) % 24) + 24) % 24;
    const isBusinessHours = localHour >= 8 && localHour < 19;
    const isBackupWindow = kind === 'server' && localHour >= 1 && localHour < 3;
    const load = isBackupWindow ? 1.9 : isBusinessHours ? 1.6 : 0.6;
    let cpu = clamp(cpuLevel * load + rng.normal(0, 2.5), 0.5, 88);
    let memory = clamp(memoryLevel + (isBusinessHours ? 4 : 0) + rng.normal(0, 1.5), 5, 88);
    if (problems.isCpuPegged && back < 4) cpu = rng.float(91, 99.5);
    if (problems.memory && back < 6) memory = rng.float(89, 99);
    trend.push({ at: hours.at(at), cpuPercent: round1(cpu), memoryUsedPercent: round1(memory) });
  }
  return trend;
}

function buildTelemetry(rng: Random, trend: readonly TrendPoint[], inventory: Inventory, lastSeenMs: number, problems: Problems): Telemetry {
  const telemetry: Telemetry = { observedAt: iso(lastSeenMs) };
  const last = trend[trend.length - 1];
  if (last) {
    telemetry.cpuPercent = round1(problems.isCpuPegged ? rng.float(92, 100) : clamp(last.cpuPercent + rng.normal(0, 3), 0, 88));
    telemetry.memoryUsedPercent = round1(
      problems.memory === 'critical' ? rng.float(95.5, 99.5)
        : problems.memory === 'warning' ? rng.float(90.5, 94.5)
          : clamp(last.memoryUsedPercent + rng.normal(0, 1.5), 0, 88),
    );
  }
  const disks = inventory.disks;
  if (disks.length > 0) {
    telemetry.diskFreePercent = round1(Math.min(...disks.map((d) => (d.totalBytes > 0 ? (d.freeBytes / d.totalBytes) * 100 : 100))));
  }
  return telemetry;
}

const personName = (rng: Random) => `${rng.pick(FIRST_NAMES)} ${rng.pick(LAST_NAMES)}`;

function assigneeFor(rng: Random, kind: DeviceKind, site: SiteInfo, family: OsFamily): string | undefined {
  switch (kind) {
    case 'laptop': return rng.chance(0.95) ? personName(rng) : undefined;
    case 'workstation':
      if (site.kind === 'office') return rng.chance(0.8) ? personName(rng) : 'Hot desk';
      if (site.kind === 'store') return 'Back office';
      if (site.kind === 'clinic') return rng.chance(0.3) ? 'Reception' : `Consult room ${rng.int(1, 9)}`;
      return rng.pick(['Dispatch desk', 'Goods-in desk', 'Transport office', 'Returns bench']);
    case 'tablet':
      if (site.kind === 'clinic') return 'Nurse station';
      return site.kind === 'warehouse' ? 'Shared — picking team' : 'Shared — sales floor';
    case 'phone': return family === 'firmware' && rng.chance(0.4) ? undefined : personName(rng);
    default: return undefined;
  }
}

function tagsFor(rng: Random, kind: DeviceKind, site: SiteInfo, model: ModelSpec, os: { name: string }, number: number, status: Device['status']): string[] {
  const tags: string[] = [site.kind];
  const isPaymentNetwork = site.kind === 'store' && (kind === 'router' || kind === 'firewall' || kind === 'switch');
  if (kind === 'pos') tags.push('pci', `lane-${number}`);
  if (isPaymentNetwork) tags.push('pci');
  if (site.kind === 'clinic' && (kind === 'workstation' || kind === 'laptop' || kind === 'tablet' || kind === 'kiosk')) tags.push('clinical');
  if (kind === 'server') tags.push('critical', os.name.includes('ESXi') ? 'hypervisor' : rng.pick(['file-server', 'domain-controller', 'backup', 'erp-db', 'print-server']));
  if (kind === 'kiosk') tags.push('customer-facing');
  if (kind === 'camera') tags.push('cctv');
  if (kind === 'tablet' && site.kind !== 'office') tags.push('shared-device');
  if (model.hostCode === 'lbl') tags.push('label');
  if (model.hostCode === 'rcp') tags.push('receipt');
  if (model.hostCode === 'ups') tags.push('power');
  if (os.name.startsWith('Windows 10')) tags.push('win10-eol');
  if (kind === 'laptop' && rng.chance(0.3)) tags.push('remote-worker');
  if (kind === 'laptop' && rng.chance(0.05)) tags.push('vip');
  if (status === 'retired') tags.push('retired');
  return tags;
}

const MAINTENANCE_REASONS = [
  'Replacing failed power supply', 'Firmware upgrade window', 'Disk replacement scheduled with vendor',
  'Re-imaging after malware cleanup', 'Moving to the new rack', 'ISP circuit migration',
];
const RETIREMENT_REASONS = ['replaced under hardware refresh', 'water damage', 'end of lease, returned to vendor', 'failed mainboard, beyond economic repair'];
const NOTES = [
  'Asset tag worn off; serial taken from the BIOS.', 'Loaner unit: return to head office stock when done.',
  'Touchscreen recalibrated after the last firmware update.', 'Mounted behind the counter; needs a ladder to reach.',
  'Under extended warranty with next-business-day onsite.',
];

interface DeviceSlot {
  readonly site: SiteInfo;
  readonly siteIndex: number;
  readonly kind: DeviceKind;
  readonly hostIndex: number;
  readonly numbering: Map<string, number>;
}

function generateDevice(rng: Random, context: OrgContext, slot: DeviceSlot, hours: HourLabels): DeviceRecord {
  const { now } = context;
  const { site, kind } = slot;
  const spec = KIND_SPECS[kind];
  const model = rng.pick(modelsFor(kind, site.kind));
  const os = rng.weighted(model.os);
  const hostCode = model.hostCode ?? spec.hostCode;
  const number = (slot.numbering.get(hostCode) ?? 0) + 1;
  slot.numbering.set(hostCode, number);

  const status = statusFor(rng, kind, spec);
  const lastSeenMs = lastSeenFor(rng, status, kind, now);
  const createdAt = Math.min(lastSeenMs - 30 * DAY, now - rng.int(20 * DAY, 1500 * DAY));
  const problems = status === 'retired' ? NO_PROBLEMS : drawProblems(rng, kind, spec, os.family);

  // Agents send inventory every few hours and heartbeats every minute; polled gear is fresher.
  const inventoryLagMs = os.family === 'firmware' ? rng.int(0, HOUR) : rng.int(0, 6 * HOUR);
  const inventory = buildInventory(rng, kind, spec, model, os.family, Math.max(createdAt, lastSeenMs - inventoryLagMs), problems);
  const trend = spec.hasLoadTrend && status !== 'retired' ? buildTrend(rng, kind, spec, site, lastSeenMs, problems, hours) : [];
  const telemetry = status === 'retired' ? undefined : buildTelemetry(rng, trend, inventory, lastSeenMs, problems);

  const statusObservedAt = status === 'online' ? lastSeenMs
    : status === 'offline' ? Math.min(now, lastSeenMs + rng.int(5 * MINUTE, 15 * MINUTE))
      : status === 'stale' ? Math.min(now, lastSeenMs + DAY)
        : Math.min(now, lastSeenMs + rng.int(DAY, 20 * DAY));

  const subnet = (slot.siteIndex * 4 + Math.floor(slot.hostIndex / 250)) % 256;
  const lanIp = `10.${(20 + context.index) % 256}.${subnet}.${(slot.hostIndex % 250) + 4}`;
  const ips = kind === 'laptop' && status === 'offline' ? [`192.168.${rng.int(0, 1)}.${rng.int(2, 250)}`] : [lanIp];
  if (kind === 'router' || kind === 'firewall') ips.push(`${rng.pick(['203.0.113', '198.51.100'])}.${rng.int(2, 254)}`);
  const macCount = rng.int(spec.macCount[0], spec.macCount[1]);
  const macs = Array.from({ length: macCount }, () => `${model.oui}:${hex2(rng)}:${hex2(rng)}:${hex2(rng)}`);

  const device: Device = {
    id: rng.uuid(createdAt),
    orgId: context.org.id,
    siteId: site.doc.id,
    hostname: `${context.profile.hostPrefix}-${site.hostCode}-${hostCode}-${String(number).padStart(2, '0')}`,
    kind,
    os: { name: os.name, version: os.version },
    model: model.name,
    serial: rng.fromPattern(model.serial),
    ips,
    macs,
    tags: tagsFor(rng, kind, site, model, os, number, status),
    inventory,
    trend,
    status,
    statusObservedAt: iso(statusObservedAt),
    health: 'ok',
    healthReasons: [],
    updatedAt: '',
  };
  const assignee = status === 'retired' ? undefined : assigneeFor(rng, kind, site, os.family);
  if (assignee !== undefined) device.assignee = assignee;
  if (telemetry) device.telemetry = telemetry;

  const findings = evaluateFindings({
    device, osFamily: os.family, lastSeenMs, isInfrastructure: spec.isInfrastructure, reported: problems.reported,
  });
  device.health = healthOf(findings);
  device.healthReasons = findings.map((f) => f.message);

  const isInMaintenance = status !== 'retired' && rng.chance(0.015);
  if (isInMaintenance) {
    const until = now + rng.int(1, 8) * HOUR;
    device.maintenanceUntil = iso(until);
    device.notes = `Maintenance until ${readableTime(until)}: ${rng.pick(MAINTENANCE_REASONS)}.`;
  } else if (status === 'retired') {
    device.notes = `Retired ${readableTime(statusObservedAt).slice(0, 10)}: ${rng.pick(RETIREMENT_REASONS)}.`;
  } else if (rng.chance(0.04)) {
    device.notes = rng.pick(NOTES);
  }
  device.updatedAt = latest(device.statusObservedAt, inventory.observedAt, trend[trend.length - 1]?.at);
  return { device, site, findings, lastSeenMs, isInMaintenance };
}

/** Spreads `count` devices over the org's sites by size, infrastructure first at every site. */
export function generateDevices(rng: Random, context: OrgContext, count: number): void {
  const perSite = allocate(count, context.sites.map((s) => SITE_SIZE[s.kind]));
  const hours = new HourLabels();
  context.sites.forEach((site, siteIndex) => {
    const kinds = kindsFor(rng, site.kind, perSite[siteIndex] ?? 0);
    const numbering = new Map<string, number>();
    kinds.forEach((kind, hostIndex) => {
      context.devices.push(generateDevice(rng, context, { site, siteIndex, kind, hostIndex, numbering }, hours));
    });
  });
}
