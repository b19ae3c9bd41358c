import type { Org, Site, UserEntry } from '../../../shared/schema/index.ts';
import type { Random } from '../random.ts';
import { DAY, iso, type OrgContext, type People, type Role, type SiteInfo } from './context.ts';
import {
  FIRST_NAMES, LAST_NAMES, ORG_PROFILES, STREETS, type City, type OrgProfile, type PlannedSite, type SiteKind,
} from './places.ts';

const ROLES: readonly Role[] = ['admin', 'manager', 'technician', 'staff'];

/** Org number `index` cycles through the profiles; repeats get a numbered name and domain. */
function profileFor(index: number): { profile: OrgProfile; domain: string; hostPrefix: string; name: string } {
  const profile = ORG_PROFILES[index % ORG_PROFILES.length] as OrgProfile;
  const cycle = Math.floor(index / ORG_PROFILES.length);
  if (cycle === 0) return { profile, domain: profile.domain, hostPrefix: profile.hostPrefix, name: profile.name };
  const n = cycle + 1;
  return {
    profile,
    domain: profile.domain.replace('.example', `${n}.example`),
    hostPrefix: `${profile.hostPrefix}${n}`,
    name: `${profile.name} ${n}`,
  };
}

function plannedSite(profile: OrgProfile, index: number): PlannedSite {
  const planned = profile.sites[index];
  if (planned) return planned;
  const branchIndex = index - profile.sites.length;
  const { kind, label, codePrefix, firstNumber, digits } = profile.branch;
  const number = String(firstNumber + branchIndex * 3).padStart(digits, '0');
  const city = profile.branchCities[branchIndex % profile.branchCities.length] as City;
  return { kind, name: `${label} ${number} — ${city.name}`, code: `${codePrefix}${number}`, city };
}

const personName = (rng: Random) => `${rng.pick(FIRST_NAMES)} ${rng.pick(LAST_NAMES)}`;
const emailFor = (name: string, domain: string) =>
  `${name.toLowerCase().replace(/[^a-z ]/g, '').replace(/ +/g, '.')}@${domain}`;
const phoneIn = (rng: Random, city: City) => `${city.phonePrefix}${rng.fromPattern('#'.repeat(city.phoneDigits))}`;

function addressIn(rng: Random, city: City): string {
  const number = city.country === 'US' ? rng.int(10, 980) * 10 : rng.int(1, 240);
  const street = `${number} ${rng.pick(STREETS[city.country])}`;
  const postcode = rng.fromPattern(city.postcode);
  if (city.country === 'GB') return `${street}, ${city.name} ${postcode}, United Kingdom`;
  if (city.country === 'AU') return `${street}, ${city.name} ${city.region} ${postcode}, Australia`;
  return `${street}, ${city.name}, ${city.region} ${postcode}`;
}

const LEAD_ROLE: Readonly<Record<SiteKind, readonly [string, string]>> = {
  office: ['Office manager', 'Facilities coordinator'],
  store: ['Store manager', 'Assistant store manager'],
  warehouse: ['Operations lead', 'Shift supervisor'],
  clinic: ['Practice manager', 'Reception lead'],
};

const CABINET: Readonly<Record<SiteKind, readonly string[]>> = {
  office: ['Server room on level 2, badge access; core switch, firewall and UPS in rack B.',
    'Comms room next to the kitchen on level 1; key with the office manager.'],
  store: ['Comms cabinet in the stock room behind the loading dock; key at the customer service desk.',
    'Network rack above the back-office desk; step ladder in the staff room.'],
  warehouse: ['MDF beside dock door 12; IDFs on the mezzanine (north and south ends).',
    'Main rack in the transport office; IDF cabinets on racking aisles 4 and 11.'],
  clinic: ['Server cupboard behind reception; badge access via the practice manager.',
    'Network cabinet in the first-floor store room, shared with the building landlord.'],
};

const FAILOVER = [
  'LTE failover via Cradlepoint IBR900 (switches in about 90 s).',
  'Secondary 5G router (Inseego FX3100); failover is manual — see the WAN outage runbook.',
  'Single circuit, no failover: card payments fall back to offline mode during outages.',
  'Starlink Business dish as backup, configured as SD-WAN secondary link.',
];

const QUIRKS = [
  'Basement has no mobile signal: sync runbooks before going down.',
  'Wi-Fi is weak at the far end of the stock room.',
  'Landlord schedules power maintenance on the first Sunday of the month.',
  'After-hours access via the building security desk; bring photo ID.',
  'Guest Wi-Fi is rate-limited to 10 Mbit/s and isolated from the corporate VLAN.',
  'The ISP router is in bridge mode; do not power-cycle it during trading hours.',
];

function generateSite(rng: Random, org: Org, profile: OrgProfile, domain: string, index: number, createdAt: number, now: number): SiteInfo {
  const planned = plannedSite(profile, index);
  const { city } = planned;
  const id = rng.uuid(createdAt);
  const [leadRole, deputyRole] = LEAD_ROLE[planned.kind];
  const isp = rng.pick(profile.isp);
  const lead = personName(rng);
  const contacts: Site['contacts'] = [
    { id: rng.uuid(createdAt), name: lead, role: leadRole, phone: phoneIn(rng, city), email: emailFor(lead, domain) },
  ];
  if (rng.chance(0.7)) {
    const deputy = personName(rng);
    contacts.push({ id: rng.uuid(createdAt), name: deputy, role: deputyRole, phone: phoneIn(rng, city), email: emailFor(deputy, domain) });
  }
  contacts.push({
    id: rng.uuid(createdAt),
    name: `${isp.split(' ').slice(0, isp.startsWith('Virgin') ? 3 : 2).join(' ')} support`,
    role: 'ISP',
    phone: phoneIn(rng, city),
  });
  const circuit = rng.fromPattern('AA-#####-XXXX');
  const connectivityNotes = [
    `Primary: ${isp}, circuit ${circuit}.`,
    rng.pick(FAILOVER),
    rng.pick(CABINET[planned.kind]),
    rng.pick(QUIRKS),
  ].join(' ');
  const site: Site = {
    id,
    orgId: org.id,
    siteId: id,
    name: planned.name,
    code: planned.code,
    address: addressIn(rng, city),
    timezone: city.timezone,
    coordinates: {
      lat: Math.round((city.lat + rng.float(-0.04, 0.04)) * 1e5) / 1e5,
      lon: Math.round((city.lon + rng.float(-0.04, 0.04)) * 1e5) / 1e5,
    },
    contacts,
    connectivityNotes,
    updatedAt: iso(Math.min(now, createdAt + rng.int(DAY, 400 * DAY))),
  };
  return { doc: site, kind: planned.kind, hostCode: planned.code.toLowerCase(), utcOffsetHours: city.utcOffsetHours };
}

/** The org, its sites and its user directory: the frame every other generator links into. */
export function generateOrgFrame(rng: Random, index: number, sitesPerOrg: number, now: number): OrgContext {
  const { profile, domain, hostPrefix, name } = profileFor(index);
  const createdAt = now - rng.int(900 * DAY, 1500 * DAY);
  const orgId = rng.uuid(createdAt);
  const org: Org = {
    id: orgId,
    orgId,
    name,
    timezone: profile.timezone,
    updatedAt: iso(createdAt + rng.int(DAY, 300 * DAY)),
  };
  const sites: SiteInfo[] = [];
  for (let i = 0; i < sitesPerOrg; i++) {
    sites.push(generateSite(rng, org, profile, domain, i, createdAt + rng.int(DAY, 500 * DAY), now));
  }
  const staffSite = sites.find((s) => s.kind === profile.branch.kind) ?? sites.find((s) => s.kind !== 'office') ?? sites[0];
  if (!staffSite) throw new RangeError('an organization needs at least one site (sitesPerOrg ≥ 1)');

  const people = {} as Record<Role, UserEntry>;
  for (const role of ROLES) {
    const joinedAt = createdAt + rng.int(0, 600 * DAY);
    people[role] = {
      id: rng.uuid(joinedAt),
      orgId,
      userId: rng.uuid(joinedAt),
      name: index < ORG_PROFILES.length ? profile.people[role] : personName(rng),
      email: `${role}@${domain}`,
      role,
      // Site staff see one site; everyone else sees the whole organization.
      siteIds: role === 'staff' ? [staffSite.doc.id] : [],
      updatedAt: iso(joinedAt + rng.int(0, 30 * DAY)),
    };
  }

  return {
    index,
    now,
    profile: { ...profile, hostPrefix },
    domain,
    org,
    sites,
    people: people as People,
    staffSite,
    devices: [],
    alerts: [],
    runbooks: [],
    runs: [],
    incidents: [],
    timeline: [],
    risks: [],
  };
}
