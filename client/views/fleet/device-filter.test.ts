import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { DEVICE_KINDS, DEVICE_STATUSES, HEALTH_LEVELS, type Device } from '../../../shared/schema/device.ts';
import { buildDeviceIndex, filterDevices, type DeviceCriteria } from './device-filter.ts';

const SITES = [
  { id: '00000000-0000-7000-8000-000000000001', name: 'HQ Seattle' },
  { id: '00000000-0000-7000-8000-000000000002', name: 'Store 014' },
];

let sequence = 0;
function device(overrides: Partial<Device>): Device {
  sequence++;
  return {
    id: `00000000-0000-7000-8000-${String(sequence).padStart(12, '0')}`,
    orgId: '00000000-0000-7000-8000-0000000000aa',
    updatedAt: '2026-01-01T00:00:00.000Z',
    siteId: SITES[0]!.id,
    hostname: `host-${sequence}`,
    kind: 'workstation',
    ips: [],
    macs: [],
    tags: [],
    trend: [],
    status: 'online',
    health: 'ok',
    healthReasons: [],
    ...overrides,
  };
}

const FLEET = [
  device({ hostname: 'NW-HQ-WS-01', serial: 'CZC604HIKQ', ips: ['10.20.0.9'], assignee: 'Hot desk', model: 'HP EliteDesk 800', tags: ['office'] }),
  device({ hostname: 'nw-s014-pos-01', siteId: SITES[1]!.id, kind: 'pos', ips: ['10.14.1.21'], model: 'NCR RealPOS', tags: ['pci', 'lane-1'], health: 'critical' }),
  device({ hostname: 'nw-s014-prn-01', siteId: SITES[1]!.id, kind: 'printer', status: 'offline', macs: ['fc:15:b4:99:b1:ca'], tags: ['receipt'], health: 'warning' }),
  device({ hostname: 'nw-hq-srv-01', kind: 'server', assignee: 'Dana Whitfield', model: 'Dell PowerEdge R650', tags: ['file-server', 'critical'] }),
];

const hostnames = (criteria: DeviceCriteria) => filterDevices(buildDeviceIndex(FLEET, SITES), criteria).map((e) => e.device.hostname);

describe('filterDevices', () => {
  it('matches a typed term case-insensitively in hostname, serial, IP, MAC, assignee, model and tags', () => {
    expect(hostnames({ text: 'hq-ws' })).toEqual(['NW-HQ-WS-01']);
    expect(hostnames({ text: 'czc604' })).toEqual(['NW-HQ-WS-01']);
    expect(hostnames({ text: '10.14.1' })).toEqual(['nw-s014-pos-01']);
    expect(hostnames({ text: 'B4:99' })).toEqual(['nw-s014-prn-01']);
    expect(hostnames({ text: 'whitfield' })).toEqual(['nw-hq-srv-01']);
    expect(hostnames({ text: 'poweredge' })).toEqual(['nw-hq-srv-01']);
    expect(hostnames({ text: 'receipt' })).toEqual(['nw-s014-prn-01']);
  });

  it('requires every term, in any field, and never matches across two fields', () => {
    expect(hostnames({ text: 'nw pci' })).toEqual(['nw-s014-pos-01']);
    expect(hostnames({ text: 'desk hp' })).toEqual(['NW-HQ-WS-01']);
    // "desk" ends the assignee and "hp" starts the model: joined they must not match "deskhp".
    expect(hostnames({ text: 'deskhp' })).toEqual([]);
  });

  it('narrows by site, kind, status, health and tag together', () => {
    expect(hostnames({ siteId: SITES[1]!.id })).toEqual(['nw-s014-pos-01', 'nw-s014-prn-01']);
    expect(hostnames({ siteId: SITES[1]!.id, status: 'offline' })).toEqual(['nw-s014-prn-01']);
    expect(hostnames({ kind: 'server', tag: 'critical' })).toEqual(['nw-hq-srv-01']);
    expect(hostnames({ health: 'critical' })).toEqual(['nw-s014-pos-01']);
    expect(hostnames({ tag: 'crit' })).toEqual([]);
  });

  it('lists everything, by hostname, when nothing is asked', () => {
    expect(hostnames({ text: '   ' })).toEqual(['nw-hq-srv-01', 'NW-HQ-WS-01', 'nw-s014-pos-01', 'nw-s014-prn-01']);
  });

  it('orders numbered hostnames naturally: ap-9 before ap-10', () => {
    const fleet = ['ap-10', 'ap-9', 'ap-100', 'AP-11'].map((hostname) => device({ hostname }));
    expect(filterDevices(buildDeviceIndex(fleet, SITES), {}).map((e) => e.device.hostname)).toEqual(['ap-9', 'ap-10', 'AP-11', 'ap-100']);
  });

  it('agrees with a plain reading of the criteria on random fleets', () => {
    const word = fc.stringMatching(/^[a-c0-9.-]{1,4}$/);
    const arbitraryDevice = fc.record({
      hostname: word,
      serial: fc.option(word, { nil: undefined }),
      assignee: fc.option(word, { nil: undefined }),
      tags: fc.array(fc.constantFrom('a', 'b', 'c'), { maxLength: 2 }),
      siteId: fc.constantFrom(...SITES.map((s) => s.id)),
      kind: fc.constantFrom(...DEVICE_KINDS.slice(0, 3)),
      status: fc.constantFrom(...DEVICE_STATUSES),
      health: fc.constantFrom(...HEALTH_LEVELS),
    });
    const criteria = fc.record({
      text: fc.option(fc.stringMatching(/^[a-cA-C0-9. -]{0,5}$/), { nil: undefined }),
      tag: fc.option(fc.constantFrom('a', 'b'), { nil: undefined }),
      status: fc.option(fc.constantFrom(...DEVICE_STATUSES), { nil: undefined }),
      health: fc.option(fc.constantFrom(...HEALTH_LEVELS), { nil: undefined }),
    });
    fc.assert(
      fc.property(fc.array(arbitraryDevice, { maxLength: 30 }), criteria, (drafts, asked) => {
        const fleet = drafts.map((draft) => device(Object.fromEntries(Object.entries(draft).filter(([, value]) => value !== undefined))));
        const found = new Set(filterDevices(buildDeviceIndex(fleet, SITES), asked).map((e) => e.device.id));
        const terms = (asked.text ?? '').toLowerCase().split(' ').filter(Boolean);
        for (const d of fleet) {
          const fields = [d.hostname, d.serial ?? '', d.assignee ?? '', ...d.tags].map((f) => f.toLowerCase());
          const expected =
            (!asked.tag || d.tags.includes(asked.tag)) &&
            (!asked.status || d.status === asked.status) &&
            (!asked.health || d.health === asked.health) &&
            terms.every((term) => fields.some((field) => field.includes(term)));
          expect(found.has(d.id)).toBe(expected);
        }
      }),
    );
  });
});

describe('buildDeviceIndex', () => {
  it('names each device’s site and collects the tags and kinds in use', () => {
    const index = buildDeviceIndex(FLEET, SITES);
    expect(index.entries.find((e) => e.device.kind === 'pos')?.siteName).toBe('Store 014');
    expect(index.tags).toEqual(['critical', 'file-server', 'lane-1', 'office', 'pci', 'receipt']);
    expect(index.kinds).toEqual(['pos', 'printer', 'server', 'workstation']);
  });
});
