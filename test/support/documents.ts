import type { Device, Org, Site } from '../../shared/schema/index.ts';
import { uuidv7 } from '../../shared/id/uuidv7.ts';

const now = () => new Date().toISOString();

export function makeOrg(overrides: Partial<Org> = {}): Org {
  const id = overrides.id ?? uuidv7();
  return { id, orgId: id, name: 'Northwind Retail', updatedAt: now(), ...overrides };
}

export function makeSite(orgId: string, overrides: Partial<Site> = {}): Site {
  const id = overrides.id ?? uuidv7();
  return { id, orgId, siteId: id, name: 'Store 14', timezone: 'Europe/Berlin', contacts: [], updatedAt: now(), ...overrides };
}

export function makeDevice(orgId: string, siteId: string, overrides: Partial<Device> = {}): Device {
  return {
    id: uuidv7(),
    orgId,
    siteId,
    hostname: `pos-${Math.random().toString(36).slice(2, 8)}`,
    kind: 'pos',
    ips: ['10.0.14.21'],
    macs: ['00:1a:2b:3c:4d:5e'],
    tags: ['checkout'],
    trend: [],
    status: 'online',
    health: 'ok',
    healthReasons: [],
    updatedAt: now(),
    ...overrides,
  };
}
