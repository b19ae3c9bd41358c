import type {
  Alert, Device, Incident, Org, Risk, Run, Runbook, Site, TimelineEntry, UserEntry,
} from '../../../shared/schema/index.ts';
import type { Random } from '../random.ts';
import type { OrgProfile, SiteKind } from './places.ts';
import type { Finding } from './health.ts';

export type DeviceKind = Device['kind'];
export type Role = UserEntry['role'];

export const MINUTE = 60_000;
export const HOUR = 60 * MINUTE;
export const DAY = 24 * HOUR;

export const iso = (ms: number): string => new Date(ms).toISOString();

/** `2026-01-31 08:05 UTC`: for human-readable text inside messages. */
export const readableTime = (ms: number): string => `${iso(ms).slice(0, 16).replace('T', ' ')} UTC`;

export const latest = (...timestamps: (string | undefined)[]): string => {
  let best = '';
  for (const t of timestamps) if (t !== undefined && t > best) best = t; // ISO strings in UTC sort by time
  return best;
};

/**
 * Splits `total` over `weights` in whole numbers that add up exactly (largest remainder), so
 * requested counts are honored however they divide.
 */
export function allocate(total: number, weights: readonly number[]): number[] {
  const sum = weights.reduce((a, b) => a + b, 0);
  if (weights.length === 0 || sum <= 0) return weights.map(() => 0);
  const exact = weights.map((w) => (total * w) / sum);
  const counts = exact.map(Math.floor);
  let left = total - counts.reduce((a, b) => a + b, 0);
  const byRemainder = exact
    .map((value, index) => ({ index, remainder: value - Math.floor(value) }))
    .sort((a, b) => b.remainder - a.remainder || a.index - b.index);
  for (const { index } of byRemainder) {
    if (left <= 0) break;
    counts[index] = (counts[index] ?? 0) + 1;
    left--;
  }
  return counts;
}

export interface SiteInfo {
  readonly doc: Site;
  readonly kind: SiteKind;
  /** Lower-case site code used in hostnames, e.g. `sto014`. */
  readonly hostCode: string;
  /** Approximate UTC offset, for business-hours load curves. */
  readonly utcOffsetHours: number;
}

export type People = Readonly<Record<Role, UserEntry>>;

/** What the device generator knows beyond the document: the findings behind its health. */
export interface DeviceRecord {
  readonly device: Device;
  readonly site: SiteInfo;
  readonly findings: readonly Finding[];
  readonly lastSeenMs: number;
  readonly isInMaintenance: boolean;
}

/** Everything generated so far for one organization; later generators link to earlier output. */
export interface OrgContext {
  readonly index: number;
  readonly now: number;
  readonly profile: OrgProfile;
  readonly domain: string;
  readonly org: Org;
  readonly sites: readonly SiteInfo[];
  readonly people: People;
  /** The site the org's staff user is limited to. */
  readonly staffSite: SiteInfo;
  devices: DeviceRecord[];
  alerts: Alert[];
  runbooks: Runbook[];
  runs: Run[];
  incidents: Incident[];
  timeline: TimelineEntry[];
  risks: Risk[];
}

/** Groups items by a key in one pass. */
export function groupBy<T, K>(items: readonly T[], keyOf: (item: T) => K): Map<K, T[]> {
  const groups = new Map<K, T[]>();
  for (const item of items) {
    const key = keyOf(item);
    const group = groups.get(key);
    if (group) group.push(item);
    else groups.set(key, [item]);
  }
  return groups;
}

/** A person who plausibly did something at a site: site staff only at their own site. */
export function actorAt(rng: Random, context: OrgContext, siteId: string, staffWeight = 1): UserEntry {
  const { people } = context;
  const isStaffSite = context.staffSite.doc.id === siteId;
  return rng.weighted<UserEntry>([
    [people.technician, 6],
    [people.manager, 1],
    [people.admin, 1],
    [people.staff, isStaffSite ? staffWeight * 3 : 0],
  ]);
}

/** Makes titles unique within an org by numbering repeats. */
export function uniqueTitle(seen: Set<string>, title: string): string {
  let candidate = title;
  for (let n = 2; seen.has(candidate); n++) candidate = `${title} (${n})`;
  seen.add(candidate);
  return candidate;
}
