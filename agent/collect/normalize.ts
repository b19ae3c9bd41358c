import type { Systeminformation } from 'systeminformation';
import { withoutForbiddenCharacters } from '../../shared/schema/common.ts';
import type { SystemSnapshot } from './snapshot.ts';

/** Firmware fills blank DMI fields with these; reporting them as a serial helps nobody. */
const PLACEHOLDERS = new Set([
  '', '-', '0', 'none', 'n/a', 'unknown', 'default string', 'not specified', 'not applicable',
  'system serial number', 'system product name', 'to be filled by o.e.m.', 'o.e.m.', '0123456789',
]);

/**
 * Firmware strings can be NUL-padded or hold stray bytes the server's text fields refuse: they
 * are dropped (after cutting, which can split a surrogate pair), never sent to fail a batch.
 */
export function meaningfulText(value: string | undefined, maxLength: number): string | undefined {
  const text = value === undefined ? undefined : withoutForbiddenCharacters(value).replace(/\s+/g, ' ').trim();
  if (text === undefined || PLACEHOLDERS.has(text.toLowerCase())) return undefined;
  return withoutForbiddenCharacters(text.slice(0, maxLength));
}

/** Pseudo and read-only image file systems are not disks anyone can run out of. */
const PSEUDO_FILE_SYSTEMS = new Set(['tmpfs', 'devtmpfs', 'overlay', 'squashfs', 'ramfs', 'iso9660', 'udf', 'devfs', 'autofs', 'efivarfs']);

export function disksFrom(fileSystems: readonly Systeminformation.FsSizeData[]): SystemSnapshot['disks'] {
  const disks = new Map<string, SystemSnapshot['disks'][number]>();
  for (const fs of fileSystems) {
    const id = (fs.mount || fs.fs).slice(0, 256);
    if (!id || disks.has(id) || !(fs.size > 0) || PSEUDO_FILE_SYSTEMS.has(fs.type.toLowerCase())) continue;
    if (fs.mount.startsWith('/snap/') || fs.mount.startsWith('/System/Volumes/')) continue;
    const totalBytes = Math.round(fs.size);
    // `available` is what an unprivileged writer can still use (ext4 keeps 5% for root).
    const freeBytes = Math.min(totalBytes, Math.max(0, Math.round(Number.isFinite(fs.available) ? fs.available : fs.size - fs.used)));
    disks.set(id, { id, totalBytes, freeBytes });
  }
  return [...disks.values()].slice(0, 64);
}

const MAC = /^[0-9a-f]{2}(:[0-9a-f]{2}){5}$/;
const MAX_ADDRESSES = 32;

/** Loopback and link-local addresses say nothing about where a device is; skip them. */
export function addressesFrom(interfaces: readonly Systeminformation.NetworkInterfacesData[]): SystemSnapshot['network'] {
  const ips = new Set<string>();
  const macs = new Set<string>();
  for (const nic of interfaces) {
    if (nic.internal) continue;
    const ip4 = nic.ip4.trim();
    if (ip4 && !ip4.startsWith('127.') && !ip4.startsWith('169.254.')) ips.add(ip4);
    const ip6 = nic.ip6.split('%')[0]?.trim().toLowerCase() ?? '';
    if (ip6 && ip6 !== '::1' && !ip6.startsWith('fe80:')) ips.add(ip6);
    const mac = nic.mac.trim().toLowerCase().replaceAll('-', ':');
    if (MAC.test(mac) && mac !== '00:00:00:00:00:00') macs.add(mac);
  }
  return { ips: [...ips].slice(0, MAX_ADDRESSES), macs: [...macs].slice(0, MAX_ADDRESSES) };
}

export function osFrom(os: Systeminformation.OsData): SystemSnapshot['os'] {
  const name = meaningfulText(os.distro, 100) ?? meaningfulText(os.platform, 100);
  if (!name) return undefined;
  const version = meaningfulText([os.release, os.build && !os.release.includes(os.build) ? `(${os.build})` : ''].join(' '), 100);
  return version ? { name, version } : { name };
}

export function modelFrom(system: Systeminformation.SystemData): string | undefined {
  const manufacturer = meaningfulText(system.manufacturer, 100);
  const model = meaningfulText(system.model, 200);
  if (!model) return manufacturer;
  return manufacturer && !model.toLowerCase().startsWith(manufacturer.toLowerCase()) ? `${manufacturer} ${model}`.slice(0, 200) : model;
}

export function cpuFrom(cpu: Systeminformation.CpuData | undefined, load: Systeminformation.CurrentLoadData | undefined): SystemSnapshot['cpu'] {
  const model = cpu ? meaningfulText(`${cpu.manufacturer} ${cpu.brand}`, 200) : undefined;
  const cores = cpu ? [cpu.physicalCores, cpu.cores].find((n) => Number.isInteger(n) && n >= 1 && n <= 4096) : undefined;
  const loadPercent = load && Number.isFinite(load.currentLoad) ? clampPercent(load.currentLoad) : undefined;
  if (model === undefined && cores === undefined && loadPercent === undefined) return undefined;
  return { ...(model === undefined ? {} : { model }), ...(cores === undefined ? {} : { cores }), ...(loadPercent === undefined ? {} : { loadPercent }) };
}

export function memoryFrom(mem: Systeminformation.MemData): SystemSnapshot['memory'] {
  if (!(mem.total > 0)) return undefined;
  // `available` counts reclaimable cache as free; `free` alone makes every Linux box look full.
  const availableBytes = Number.isFinite(mem.available) && mem.available > 0 ? mem.available : mem.free;
  return { totalBytes: Math.round(mem.total), availableBytes: Math.round(Math.min(mem.total, Math.max(0, availableBytes))) };
}

export const clampPercent = (value: number): number => Math.min(100, Math.max(0, Math.round(value * 10) / 10));
