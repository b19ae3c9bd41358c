/**
 * The fictional organizations and the real places they operate in. Phone numbers use the
 * ranges regulators reserve for fiction (US 555-01xx, Ofcom 020 7946 0xxx, ACMA 02 5550 xxxx),
 * e-mail domains use `.example`, and public IPs come from the documentation ranges.
 */

export type SiteKind = 'office' | 'store' | 'warehouse' | 'clinic';
export type Country = 'US' | 'GB' | 'AU';

export interface City {
  readonly name: string;
  readonly region: string;
  readonly country: Country;
  readonly timezone: string;
  readonly utcOffsetHours: number;
  readonly lat: number;
  readonly lon: number;
  /** Postcode pattern for Random.fromPattern. */
  readonly postcode: string;
  /** Fictional-range phone prefix; `phoneDigits` random digits complete the number. */
  readonly phonePrefix: string;
  readonly phoneDigits: number;
}

export interface PlannedSite {
  readonly kind: SiteKind;
  readonly name: string;
  readonly code: string;
  readonly city: City;
}

export interface OrgProfile {
  readonly name: string;
  readonly domain: string;
  /** Hostname prefix, e.g. `nw` in `nw-sto014-pos-03`. */
  readonly hostPrefix: string;
  readonly timezone: string;
  /** The first sites, in order: a small org gets the most characteristic ones. */
  readonly sites: readonly PlannedSite[];
  /** What further sites are, and where. */
  readonly branch: {
    readonly kind: SiteKind;
    readonly label: string;
    readonly codePrefix: string;
    readonly firstNumber: number;
    readonly digits: number;
  };
  readonly branchCities: readonly City[];
  readonly people: Readonly<Record<'admin' | 'manager' | 'technician' | 'staff', string>>;
  readonly isp: readonly string[];
}

const us = (
  name: string, region: string, timezone: string, utcOffsetHours: number, lat: number, lon: number,
  areaCode: string, zip: string,
): City => ({
  name, region, country: 'US', timezone, utcOffsetHours, lat, lon,
  postcode: zip, phonePrefix: `+1 ${areaCode}-555-01`, phoneDigits: 2,
});

const gb = (name: string, lat: number, lon: number, phonePrefix: string, postcode: string): City => ({
  name, region: 'England', country: 'GB', timezone: 'Europe/London', utcOffsetHours: 0, lat, lon,
  postcode, phonePrefix, phoneDigits: 3,
});

const au = (
  name: string, region: string, timezone: string, utcOffsetHours: number, lat: number, lon: number,
  phonePrefix: string, postcode: string,
): City => ({ name, region, country: 'AU', timezone, utcOffsetHours, lat, lon, postcode, phonePrefix, phoneDigits: 3 });

const LA = 'America/Los_Angeles';
const CHI = 'America/Chicago';

const SEATTLE = us('Seattle', 'WA', LA, -8, 47.6062, -122.3321, '206', '981##');
const KENT = us('Kent', 'WA', LA, -8, 47.3809, -122.2348, '253', '9803#');
const BELLEVUE = us('Bellevue', 'WA', LA, -8, 47.6101, -122.2015, '425', '9800#');
const TACOMA = us('Tacoma', 'WA', LA, -8, 47.2529, -122.4443, '253', '984##');
const WEST_CITIES: readonly City[] = [
  us('Portland', 'OR', LA, -8, 45.5152, -122.6784, '503', '972##'),
  us('Spokane', 'WA', LA, -8, 47.6588, -117.426, '509', '992##'),
  us('Everett', 'WA', LA, -8, 47.979, -122.2021, '425', '982##'),
  us('Salem', 'OR', LA, -8, 44.9429, -123.0351, '503', '973##'),
  us('Olympia', 'WA', LA, -8, 47.0379, -122.9007, '360', '985##'),
  us('Boise', 'ID', 'America/Boise', -7, 43.615, -116.2023, '208', '837##'),
  us('Eugene', 'OR', LA, -8, 44.0521, -123.0868, '541', '974##'),
  us('Vancouver', 'WA', LA, -8, 45.6387, -122.6615, '360', '986##'),
  us('Bend', 'OR', LA, -8, 44.0582, -121.3153, '541', '977##'),
  us('Yakima', 'WA', LA, -8, 46.6021, -120.5059, '509', '989##'),
  BELLEVUE, TACOMA,
];

const LONDON = gb('London', 51.5072, -0.1276, '+44 20 7946 0', 'EC1V #AA');
const CAMDEN = gb('London', 51.539, -0.1426, '+44 20 7946 0', 'NW1 #AA');
const MANCHESTER = gb('Manchester', 53.4808, -2.2426, '+44 161 496 0', 'M# #AA');
const LEEDS = gb('Leeds', 53.8008, -1.5491, '+44 113 496 0', 'LS# #AA');
const UK_CITIES: readonly City[] = [
  gb('Birmingham', 52.4862, -1.8904, '+44 121 496 0', 'B# #AA'),
  gb('Bristol', 51.4545, -2.5879, '+44 117 496 0', 'BS# #AA'),
  gb('Sheffield', 53.3811, -1.4701, '+44 114 496 0', 'S# #AA'),
  gb('Nottingham', 52.9548, -1.1581, '+44 115 496 0', 'NG# #AA'),
  gb('Newcastle upon Tyne', 54.9783, -1.6178, '+44 191 498 0', 'NE# #AA'),
  gb('Reading', 51.4543, -0.9781, '+44 118 496 0', 'RG# #AA'),
  MANCHESTER, LEEDS,
];

const CHICAGO = us('Chicago', 'IL', CHI, -6, 41.8781, -87.6298, '312', '606##');
const JOLIET = us('Joliet', 'IL', CHI, -6, 41.525, -88.0817, '815', '604##');
const INDIANAPOLIS = us('Indianapolis', 'IN', 'America/Indiana/Indianapolis', -5, 39.7684, -86.1581, '317', '462##');
const MIDWEST_CITIES: readonly City[] = [
  us('Memphis', 'TN', CHI, -6, 35.1495, -90.049, '901', '381##'),
  us('Columbus', 'OH', 'America/New_York', -5, 39.9612, -82.9988, '614', '432##'),
  us('Louisville', 'KY', 'America/Kentucky/Louisville', -5, 38.2527, -85.7585, '502', '402##'),
  us('Kansas City', 'MO', CHI, -6, 39.0997, -94.5786, '816', '641##'),
  us('Dallas', 'TX', CHI, -6, 32.7767, -96.797, '214', '752##'),
  us('Milwaukee', 'WI', CHI, -6, 43.0389, -87.9065, '414', '532##'),
  us('St. Louis', 'MO', CHI, -6, 38.627, -90.1994, '314', '631##'),
  JOLIET, INDIANAPOLIS,
];

const SYDNEY = au('Sydney', 'NSW', 'Australia/Sydney', 10, -33.8688, 151.2093, '+61 2 5550 0', '2000');
const PARRAMATTA = au('Parramatta', 'NSW', 'Australia/Sydney', 10, -33.815, 151.0011, '+61 2 5550 1', '2150');
const MELBOURNE = au('Melbourne', 'VIC', 'Australia/Melbourne', 10, -37.8136, 144.9631, '+61 3 7010 0', '3000');
const AU_CITIES: readonly City[] = [
  au('Brisbane', 'QLD', 'Australia/Brisbane', 10, -27.4698, 153.0251, '+61 7 5550 0', '4000'),
  au('Perth', 'WA', 'Australia/Perth', 8, -31.9523, 115.8613, '+61 8 5550 0', '6000'),
  au('Adelaide', 'SA', 'Australia/Adelaide', 9.5, -34.9285, 138.6007, '+61 8 5550 1', '5000'),
  au('Canberra', 'ACT', 'Australia/Sydney', 10, -35.2809, 149.13, '+61 2 5550 2', '2600'),
  au('Newcastle', 'NSW', 'Australia/Sydney', 10, -32.9283, 151.7817, '+61 2 5550 3', '2300'),
  au('Geelong', 'VIC', 'Australia/Melbourne', 10, -38.1499, 144.3617, '+61 3 7010 1', '3220'),
  au('Gold Coast', 'QLD', 'Australia/Brisbane', 10, -28.0167, 153.4, '+61 7 5550 1', '4217'),
  MELBOURNE, PARRAMATTA,
];

export const ORG_PROFILES: readonly OrgProfile[] = [
  {
    name: 'Northwind Retail',
    domain: 'northwind.example',
    hostPrefix: 'nw',
    timezone: LA,
    sites: [
      { kind: 'office', name: 'Northwind Head Office', code: 'HQ', city: SEATTLE },
      { kind: 'store', name: 'Store 014 — Bellevue Square', code: 'STO014', city: BELLEVUE },
      { kind: 'warehouse', name: 'Kent Distribution Center', code: 'DC01', city: KENT },
      { kind: 'store', name: 'Store 022 — Tacoma Mall', code: 'STO022', city: TACOMA },
    ],
    branch: { kind: 'store', label: 'Store', codePrefix: 'STO', firstNumber: 27, digits: 3 },
    branchCities: WEST_CITIES,
    people: { admin: 'Priya Raman', manager: 'Marcus Bell', technician: 'Sam Okafor', staff: 'Jenna Ortiz' },
    isp: ['Comcast Business 300/35 coax', 'Ziply Fiber 1G', 'Lumen DIA 100M fiber', 'Spectrum Business 500/20 cable'],
  },
  {
    name: 'Contoso Health Partners',
    domain: 'contosohealth.example',
    hostPrefix: 'ch',
    timezone: 'Europe/London',
    sites: [
      { kind: 'office', name: 'Contoso Health Central Office', code: 'CO', city: LONDON },
      { kind: 'clinic', name: 'Camden Road Clinic', code: 'CLN01', city: CAMDEN },
      { kind: 'clinic', name: 'Manchester Piccadilly Clinic', code: 'CLN02', city: MANCHESTER },
      { kind: 'clinic', name: 'Leeds Headingley Clinic', code: 'CLN03', city: LEEDS },
    ],
    branch: { kind: 'clinic', label: 'Clinic', codePrefix: 'CLN', firstNumber: 4, digits: 2 },
    branchCities: UK_CITIES,
    people: { admin: 'Oliver Hughes', manager: 'Amara Osei', technician: 'Tom Fletcher', staff: 'Grace Whitaker' },
    isp: ['BT Business Fibre 900/110', 'Virgin Media Business 500M leased line', 'Openreach FTTP 330/50 via Zen'],
  },
  {
    name: 'Fabrikam Logistics',
    domain: 'fabrikam.example',
    hostPrefix: 'fb',
    timezone: CHI,
    sites: [
      { kind: 'office', name: 'Fabrikam Chicago Office', code: 'HQ', city: CHICAGO },
      { kind: 'warehouse', name: 'Joliet Cross-Dock', code: 'WH01', city: JOLIET },
      { kind: 'warehouse', name: 'Indianapolis Fulfillment Center', code: 'WH02', city: INDIANAPOLIS },
    ],
    branch: { kind: 'warehouse', label: 'Warehouse', codePrefix: 'WH', firstNumber: 3, digits: 2 },
    branchCities: MIDWEST_CITIES,
    people: { admin: 'Luis Herrera', manager: 'Dana Kowalski', technician: 'Andre Jackson', staff: 'Megan Price' },
    isp: ['AT&T Business Fiber 1G', 'Comcast Business 600/35 coax', 'Verizon Fios 500/500'],
  },
  {
    name: 'Wide World Importers',
    domain: 'wideworld.example',
    hostPrefix: 'ww',
    timezone: 'Australia/Sydney',
    sites: [
      { kind: 'office', name: 'Wide World Sydney Office', code: 'HO', city: SYDNEY },
      { kind: 'warehouse', name: 'Parramatta Warehouse', code: 'WH01', city: PARRAMATTA },
      { kind: 'store', name: 'Store 103 — Melbourne Central', code: 'STO103', city: MELBOURNE },
    ],
    branch: { kind: 'store', label: 'Store', codePrefix: 'STO', firstNumber: 104, digits: 3 },
    branchCities: AU_CITIES,
    people: { admin: 'Chloe Nguyen', manager: "Liam O'Connor", technician: 'Aarav Patel', staff: 'Isla Murray' },
    isp: ['Telstra Business nbn 250/25', 'Aussie Broadband Enterprise Ethernet 500M', 'TPG Fibre 1000 FTTP'],
  },
];

export const STREETS: Readonly<Record<Country, readonly string[]>> = {
  US: ['Main Street', 'Pine Street', '4th Avenue', 'Commerce Way', 'Pacific Highway', 'Industrial Drive',
    'Lakeview Boulevard', 'Market Street', 'Harbor Road', 'Cedar Avenue', 'Union Avenue', 'Logistics Parkway'],
  GB: ['High Street', 'Station Road', 'Church Lane', 'Victoria Street', 'Market Place', 'Mill Lane',
    'Queen Street', 'Park Road', 'Oxford Road', 'King Street'],
  AU: ['George Street', 'Collins Street', 'Queen Street', 'Pitt Street', 'Chapel Street', 'Parramatta Road',
    'Hunter Street', 'Murray Street', 'Flinders Lane'],
};

export const FIRST_NAMES: readonly string[] = [
  'Alex', 'Maria', 'James', 'Aisha', 'Daniel', 'Mei', 'Carlos', 'Olivia', 'Noah', 'Fatima', 'Ethan', 'Sofia',
  'Kenji', 'Hannah', 'Mateo', 'Zara', 'Lucas', 'Emma', 'Ravi', 'Chloe', 'Jordan', 'Nadia', 'Ben', 'Leila',
  'Owen', 'Ines', 'Tariq', 'Ruby', 'Diego', 'Anya', 'Kwame', 'Lena', 'Hugo', 'Yuki', 'Sean', 'Amelia',
];
export const LAST_NAMES: readonly string[] = [
  'Nguyen', 'Smith', 'Garcia', 'Khan', 'Johnson', 'Chen', 'Williams', 'Brown', 'Patel', 'Martinez', 'Kim',
  'Lopez', 'Taylor', 'Anderson', 'Singh', 'Murphy', 'Rossi', 'Novak', 'Haddad', 'Silva', 'Evans', 'Walker',
  'Young', 'Mensah', 'Cohen', 'Ito', 'Schmidt', 'Dubois', 'Kowalski', 'Reyes', 'Hughes', 'Baker',
];
