import type { Device } from '../../../shared/schema/device.ts';
import type { Site } from '../../../shared/schema/site.ts';

/** What the fleet list is narrowed by; every field is optional and they all must hold. */
export interface DeviceCriteria {
  /** Whitespace-separated terms; each must appear in hostname, serial, an IP or MAC, assignee, model or a tag. */
  text?: string | undefined;
  siteId?: string | undefined;
  kind?: string | undefined;
  status?: string | undefined;
  health?: string | undefined;
  tag?: string | undefined;
}

export interface IndexedDevice {
  device: Device;
  siteName: string;
  /** Lowercased searchable fields, one per line so a term never matches across two fields. */
  searchKey: string;
}

export interface DeviceIndex {
  entries: readonly IndexedDevice[];
  /** Tags and kinds that occur in the fleet, sorted: the filters offer only what can match. */
  tags: readonly string[];
  kinds: readonly string[];
}

function searchKeyOf(device: Device): string {
  return [device.hostname, device.serial ?? '', ...device.ips, ...device.macs, device.assignee ?? '', device.model ?? '', ...device.tags]
    .join('\n')
    .toLowerCase();
}

/** "ap-9" before "ap-10": digit runs padded so that plain string order is natural order. */
export const naturalKey = (hostname: string) => hostname.toLowerCase().replace(/\d+/g, (digits) => digits.padStart(12, '0'));

/**
 * Built once per change of the replica's devices (not per keystroke): lowercased keys and
 * site names are computed here so filtering only compares strings.
 */
export function buildDeviceIndex(devices: readonly Device[], sites: readonly Pick<Site, 'id' | 'name'>[]): DeviceIndex {
  const siteNames = new Map(sites.map((site) => [site.id, site.name]));
  const tags = new Set<string>();
  const kinds = new Set<string>();
  const keyed = devices.map((device) => {
    for (const tag of device.tags) tags.add(tag);
    kinds.add(device.kind);
    const entry: IndexedDevice = { device, siteName: siteNames.get(device.siteId) ?? 'Unknown site', searchKey: searchKeyOf(device) };
    return { entry, sortKey: naturalKey(device.hostname) };
  });
  // Plain string comparison of padded keys: localeCompare over 10,000 hostnames costs more than the whole filter.
  keyed.sort((a, b) => (a.sortKey < b.sortKey ? -1 : a.sortKey > b.sortKey ? 1 : 0));
  const entries = keyed.map((item) => item.entry);
  return { entries, tags: [...tags].sort(), kinds: [...kinds].sort() };
}

export function searchTermsOf(text: string | undefined): string[] {
  return (text ?? '').toLowerCase().split(/\s+/).filter((term) => term.length > 0);
}

export function filterDevices(index: DeviceIndex, criteria: DeviceCriteria): IndexedDevice[] {
  const terms = searchTermsOf(criteria.text);
  const { siteId, kind, status, health, tag } = criteria;
  const matches: IndexedDevice[] = [];
  for (const entry of index.entries) {
    const device = entry.device;
    if (siteId && device.siteId !== siteId) continue;
    if (kind && device.kind !== kind) continue;
    if (status && device.status !== status) continue;
    if (health && device.health !== health) continue;
    if (tag && !device.tags.includes(tag)) continue;
    if (!terms.every((term) => entry.searchKey.includes(term))) continue;
    matches.push(entry);
  }
  return matches;
}
