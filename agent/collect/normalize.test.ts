import type { Systeminformation } from 'systeminformation';
import { describe, expect, it } from 'vitest';
import { addressesFrom, disksFrom, meaningfulText, memoryFrom, modelFrom, osFrom } from './normalize.ts';

const fs = (overrides: Partial<Systeminformation.FsSizeData>): Systeminformation.FsSizeData => ({
  fs: '/dev/sda1', type: 'ext4', size: 100e9, used: 40e9, available: 55e9, use: 42, mount: '/', rw: true, ...overrides,
});

const nic = (overrides: Partial<Systeminformation.NetworkInterfacesData>): Systeminformation.NetworkInterfacesData => ({
  iface: 'eth0', ifaceName: 'eth0', default: true, ip4: '', ip4subnet: '', ip6: '', ip6subnet: '', mac: '', internal: false,
  virtual: false, operstate: 'up', type: 'wired', duplex: 'full', mtu: 1500, speed: 1000, dhcp: true, dnsSuffix: '',
  ieee8021xAuth: '', ieee8021xState: '', carrierChanges: 0, ...overrides,
});

describe('normalizing what systeminformation reports', () => {
  it('drops firmware placeholders instead of reporting them as serials', () => {
    expect(meaningfulText('To Be Filled By O.E.M.', 100)).toBeUndefined();
    expect(meaningfulText('-', 100)).toBeUndefined();
    expect(meaningfulText('  PF2ABCDE  ', 100)).toBe('PF2ABCDE');
    expect(meaningfulText('x'.repeat(300), 100)).toHaveLength(100);
  });

  it('drops NUL padding, byte-order marks and bidirectional controls, and never ends on half a surrogate pair', () => {
    expect(meaningfulText('PF2ABCDE\u0000\u0000\u0000', 100)).toBe('PF2ABCDE');
    expect(meaningfulText('\uFEFFOptiPlex \u202E7090', 100)).toBe('OptiPlex 7090');
    expect(meaningfulText(`${'x'.repeat(99)}\u{1F5A8}`, 100)).toBe('x'.repeat(99));
  });

  it('keeps real disks by mount point, with the space a user can still write', () => {
    const disks = disksFrom([
      fs({}),
      fs({ mount: '/', fs: '/dev/sda1' }),
      fs({ mount: '/dev/shm', type: 'tmpfs' }),
      fs({ mount: '/snap/core/1', type: 'squashfs' }),
      fs({ mount: 'C:', fs: 'C:', type: 'NTFS', size: 500e9, available: 100e9 }),
      fs({ mount: '/empty', size: 0 }),
    ]);
    expect(disks).toEqual([
      { id: '/', totalBytes: 100e9, freeBytes: 55e9 },
      { id: 'C:', totalBytes: 500e9, freeBytes: 100e9 },
    ]);
  });

  it('keeps routable addresses and real MACs, skipping loopback and link-local', () => {
    const network = addressesFrom([
      nic({ iface: 'lo', internal: true, ip4: '127.0.0.1', ip6: '::1', mac: '00:00:00:00:00:00' }),
      nic({ ip4: '10.0.0.12', ip6: 'fe80::1%eth0', mac: '3C-52-82-AA-BB-CC' }),
      nic({ iface: 'wlan0', ip4: '169.254.3.4', ip6: '2001:db8::12', mac: '3c:52:82:aa:bb:cd' }),
      nic({ iface: 'ib0', mac: '80:00:02:08:fe:80:00:00:00:00' }),
    ]);
    expect(network).toEqual({ ips: ['10.0.0.12', '2001:db8::12'], macs: ['3c:52:82:aa:bb:cc', '3c:52:82:aa:bb:cd'] });
  });

  it('measures memory pressure by what is available, not by what is free of cache', () => {
    const mem = { total: 16e9, free: 1e9, available: 9e9 } as Systeminformation.MemData;
    expect(memoryFrom(mem)).toEqual({ totalBytes: 16e9, availableBytes: 9e9 });
  });

  it('names the OS by distribution and release, and the model with its maker', () => {
    expect(osFrom({ distro: 'Ubuntu', release: '24.04.1 LTS', platform: 'linux', build: '' } as Systeminformation.OsData)).toEqual({ name: 'Ubuntu', version: '24.04.1 LTS' });
    expect(osFrom({ distro: 'Microsoft Windows 11 Pro', release: '10.0.22631', platform: 'Windows', build: '22631' } as Systeminformation.OsData)).toEqual({
      name: 'Microsoft Windows 11 Pro',
      version: '10.0.22631',
    });
    expect(osFrom({ distro: 'macOS', release: '14.5', platform: 'darwin', build: '23F79' } as Systeminformation.OsData)).toEqual({ name: 'macOS', version: '14.5 (23F79)' });
    expect(modelFrom({ manufacturer: 'LENOVO', model: '20XW0026GE' } as Systeminformation.SystemData)).toBe('LENOVO 20XW0026GE');
    expect(modelFrom({ manufacturer: 'Dell Inc.', model: 'Dell Inc. OptiPlex 7090' } as Systeminformation.SystemData)).toBe('Dell Inc. OptiPlex 7090');
  });
});
