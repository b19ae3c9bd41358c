import type { Device, Incident, TimelineEntry, UserEntry } from '../../../shared/schema/index.ts';
import type { Random } from '../random.ts';
import { DAY, HOUR, MINUTE, actorAt, groupBy, iso, latest, type DeviceKind, type OrgContext } from './context.ts';
import type { SiteKind } from './places.ts';

type Severity = Incident['severity'];
type Status = Incident['status'];
type TimelineKind = TimelineEntry['kind'];

interface IncidentTemplate {
  /** `{site}` and `{host}` are filled in. */
  readonly title: string;
  readonly summary: string;
  readonly severity: Severity;
  readonly kinds: readonly DeviceKind[];
  /** Where this happens; anywhere when absent. */
  readonly siteKinds?: readonly SiteKind[];
  readonly notes: readonly string[];
  readonly actions: readonly string[];
  readonly containment: string;
  readonly resolution: string;
}

const TEMPLATES: readonly IncidentTemplate[] = [
  {
    title: 'Card payments failing at {site}', severity: 'sev2', kinds: ['pos', 'router', 'firewall'], siteKinds: ['store'],
    summary: 'Every lane declines cards with "host unreachable"; the site is trading cash only.',
    notes: ['Queue at the tills; site lead put up "cash only" signs.', 'Payment provider status page shows no incident.'],
    actions: ['Restarted the payment gateway connector on {host}.', 'Captured a packet trace on the firewall for the provider.'],
    containment: 'Lanes switched to the offline card-approval limit.', resolution: 'The provider rotated an expired certificate on their side.',
  },
  {
    title: 'Internet outage at {site}', severity: 'sev2', kinds: ['router', 'firewall'],
    summary: 'The primary circuit is down; cloud apps and head-office VPN are unreachable.',
    notes: ['ISP confirms a fibre cut in the area; estimated fix in 4 hours.', 'LTE backup signal is weak inside the cabinet.'],
    actions: ['Moved the LTE antenna to the window; failover engaged.', 'Paused camera uploads to save LTE data.'],
    containment: 'Site running on LTE failover.', resolution: 'ISP repaired the fibre; primary circuit back and failover released.',
  },
  {
    title: 'RAID degraded on {host}', severity: 'sev3', kinds: ['server'],
    summary: 'One mirror member failed; the server runs on a single disk until the replacement arrives.',
    notes: ['Last backup succeeded at 02:10.', 'Vendor confirmed next-business-day replacement.'],
    actions: ['Took an extra backup before the swap.', 'Hot-swapped the failed disk in bay 1.'],
    containment: 'Backups verified; users told to expect slowness.', resolution: 'Disk replaced and the array rebuilt to "Optimal".',
  },
  {
    title: 'Ransomware behaviour detected on {host}', severity: 'sev1', kinds: ['workstation', 'laptop'],
    summary: 'EDR flagged mass file renames and quarantined a suspicious executable.',
    notes: ['User opened an invoice attachment minutes before the alert.', 'No other device shows the same hash.'],
    actions: ['Isolated {host} from the network.', 'Reset the user\'s password and revoked all sessions.', 'Restored the user\'s share from the 01:00 snapshot.'],
    containment: 'Device isolated; no lateral movement found.', resolution: 'Device re-imaged; files restored from backup.',
  },
  {
    title: 'Label printers offline at {site}', severity: 'sev3', kinds: ['printer'], siteKinds: ['warehouse'],
    summary: 'Shipping labels do not print; outbound orders are piling up at packing.',
    notes: ['All label printers on the same switch.', 'Packing team switched to the spare printer at returns.'],
    actions: ['Bounced the switch port for {host}.', 'Updated the printer firmware to the approved release.'],
    containment: 'Spare printer handling the urgent orders.', resolution: 'A DHCP scope had filled up; leases cleared and the scope widened.',
  },
  {
    title: 'POS lane down at {site}', severity: 'sev3', kinds: ['pos'], siteKinds: ['store'],
    summary: 'A terminal stopped at "Automatic Repair" after an overnight update.',
    notes: ['Remaining lanes can cope outside the lunch peak.'],
    actions: ['Ran "POS won\'t boot" on {host}.', 'Re-imaged {host} from the golden image.'],
    containment: 'Lane closed; customers redirected.', resolution: 'Terminal re-imaged and back in service.',
  },
  {
    title: 'Wi-Fi outage at {site}', severity: 'sev3', kinds: ['access-point'],
    summary: 'Handhelds and tablets drop off the network repeatedly.',
    notes: ['Interference suspected after the neighbour installed new equipment.'],
    actions: ['Moved {host} to a less crowded channel.', 'Reseated the uplink on the access switch.'],
    containment: 'Staff using the wired back-office PC for stock look-ups.', resolution: 'Channel plan updated; no drops for 24 hours.',
  },
  {
    title: 'Check-in kiosk out of service at {site}', severity: 'sev4', kinds: ['kiosk'], siteKinds: ['clinic', 'office'],
    summary: 'The kiosk app freezes on the welcome screen.',
    notes: ['Reception checking patients in manually.'],
    actions: ['Restarted {host}.', 'Cleared the kiosk app cache.'],
    containment: 'Reception covering check-in.', resolution: 'Kiosk app updated to the fixed release.',
  },
  {
    title: 'CCTV recording gap at {site}', severity: 'sev4', kinds: ['camera'],
    summary: 'Cameras stopped recording overnight; the loss-prevention team needs footage.',
    notes: ['Gap from roughly 01:00 to 06:30 local time.'],
    actions: ['Power-cycled {host} via PoE.', 'Checked the NVR storage: 2% free.'],
    containment: 'Recording restored; gap documented for loss prevention.', resolution: 'Retention shortened to 30 days to free NVR storage.',
  },
  {
    title: 'Phishing link clicked at {site}', severity: 'sev3', kinds: ['workstation', 'laptop'],
    summary: 'A staff member entered their password on a fake sign-in page.',
    notes: ['Sign-in logs show one attempt from an unfamiliar country, blocked by MFA.'],
    actions: ['Reset the password and revoked sessions.', 'Blocked the sender domain at the mail gateway.'],
    containment: 'Credentials rotated; no successful foreign sign-in.', resolution: 'User completed refresher training; mail rule added.',
  },
  {
    title: 'Desk phones not registering at {site}', severity: 'sev3', kinds: ['phone'],
    summary: 'Phones show "No service"; the site cannot take calls.',
    notes: ['Calls diverted to the site manager\'s mobile.'],
    actions: ['Rebooted the voice VLAN switch.', 'Re-provisioned {host}.'],
    containment: 'Main number forwarded to a mobile.', resolution: 'SIP ALG disabled on the firewall after a firmware update re-enabled it.',
  },
  {
    title: 'Power cut at {site}', severity: 'sev2', kinds: ['other', 'switch', 'server'],
    summary: 'Utility power lost; the UPS is carrying the network cabinet.',
    notes: ['Utility estimates 2 hours.', 'UPS runtime reported as 35 minutes.'],
    actions: ['Shut down non-essential servers to extend UPS runtime.', 'Checked every device came back after power returned.'],
    containment: 'Essential systems on UPS; others shut down cleanly.', resolution: 'Power restored; all devices back online.',
  },
];

const fill = (text: string, site: string, host: string) => text.replaceAll('{site}', site).replaceAll('{host}', host);

const SEVERITIES: readonly Severity[] = ['sev1', 'sev2', 'sev3', 'sev4'];

interface Times {
  readonly openedAt: number;
  readonly acknowledgedAt?: number;
  readonly containedAt?: number;
  readonly resolvedAt?: number;
  readonly closedAt?: number;
}

/** Timestamps that agree with the status: contained implies acknowledged, resolved implies resolvedAt… */
function timesFor(rng: Random, status: Status, now: number, earliest: number | undefined): Times {
  const ackDelay = () => rng.int(2 * MINUTE, 60 * MINUTE);
  switch (status) {
    case 'triage': {
      const openedAt = Math.min(now - 5 * MINUTE, Math.max(now - rng.int(10 * MINUTE, 2 * DAY), earliest ?? 0));
      const acknowledgedAt = openedAt + ackDelay();
      return acknowledgedAt < now && rng.chance(0.6) ? { openedAt, acknowledgedAt } : { openedAt };
    }
    case 'contained': {
      const openedAt = Math.min(now - 10 * MINUTE, Math.max(now - rng.int(2 * HOUR, 5 * DAY), earliest ?? 0));
      const acknowledgedAt = Math.min(now - 2 * MINUTE, openedAt + ackDelay());
      const containedAt = acknowledgedAt + Math.floor(rng.next() * (now - MINUTE - acknowledgedAt));
      return { openedAt, acknowledgedAt, containedAt };
    }
    case 'resolved': {
      const openedAt = now - rng.int(3 * DAY, 30 * DAY);
      const acknowledgedAt = openedAt + ackDelay();
      const resolvedAt = acknowledgedAt + rng.int(30 * MINUTE, 2 * DAY);
      return { openedAt, acknowledgedAt, containedAt: acknowledgedAt + Math.floor((resolvedAt - acknowledgedAt) / 2), resolvedAt };
    }
    case 'closed': {
      const openedAt = now - rng.int(8 * DAY, 60 * DAY);
      const acknowledgedAt = openedAt + ackDelay();
      const resolvedAt = acknowledgedAt + rng.int(30 * MINUTE, 2 * DAY);
      return { openedAt, acknowledgedAt, resolvedAt, closedAt: resolvedAt + rng.int(1 * DAY, 5 * DAY) };
    }
  }
}

interface TimelineInput {
  readonly incident: Incident;
  readonly template: IncidentTemplate;
  readonly times: Times;
  readonly openedBy: UserEntry;
  readonly host: string;
  readonly runStartedAt: number | undefined;
  readonly runLabel: string | undefined;
}

/**
 * 2–6 entries: the status changes the timestamps imply always appear; containment, the linked
 * run, actions and notes fill the rest, at times between acknowledgement and resolution.
 */
function buildTimeline(rng: Random, context: OrgContext, input: TimelineInput): TimelineEntry[] {
  const { now, people } = context;
  const { incident, template, times, openedBy } = input;
  const responder = people.technician;
  const siteName = context.sites.find((s) => s.doc.id === incident.siteId)?.doc.name ?? '';
  const entries: { at: number; by: UserEntry; kind: TimelineKind; text: string }[] = [
    { at: times.openedAt, by: openedBy, kind: 'status', text: `Opened as ${incident.severity}: ${incident.summary}` },
  ];
  if (times.acknowledgedAt !== undefined) {
    entries.push({ at: times.acknowledgedAt, by: responder, kind: 'status', text: `Acknowledged by ${responder.name}; investigating.` });
  }
  if (times.resolvedAt !== undefined) {
    entries.push({ at: times.resolvedAt, by: responder, kind: 'status', text: `Resolved: ${template.resolution}` });
  }
  if (times.closedAt !== undefined) {
    entries.push({ at: times.closedAt, by: people.manager, kind: 'status', text: 'Closed after the post-incident review.' });
  }

  const target = rng.int(Math.max(2, entries.length), 6);
  const extras: { kind: TimelineKind; text: string; at?: number }[] = [];
  if (times.containedAt !== undefined) extras.push({ kind: 'status', text: `Contained: ${template.containment}`, at: times.containedAt });
  if (input.runLabel !== undefined && input.runStartedAt !== undefined) {
    extras.push({ kind: 'link', text: `Linked run of ${input.runLabel}.`, at: input.runStartedAt });
  }
  for (const action of rng.shuffle(template.actions)) extras.push({ kind: 'action', text: fill(action, siteName, input.host) });
  for (const note of rng.shuffle(template.notes)) extras.push({ kind: 'note', text: note });
  if (incident.severity !== template.severity) {
    extras.push({ kind: 'severity', text: `Severity changed from ${template.severity} to ${incident.severity} after the impact check.` });
  }
  const firstAt = times.acknowledgedAt ?? times.openedAt;
  const endAt = times.resolvedAt ?? now - MINUTE;
  for (const extra of extras) {
    if (entries.length >= target) break;
    const at = extra.at ?? firstAt + Math.floor(rng.next() * Math.max(MINUTE, endAt - firstAt));
    const by = extra.kind === 'note' && rng.chance(0.4) ? openedBy : responder;
    entries.push({ at: Math.min(at, now), by, kind: extra.kind, text: extra.text });
  }
  entries.sort((a, b) => a.at - b.at);
  return entries.map((entry) => ({
    id: rng.uuid(entry.at),
    orgId: incident.orgId,
    siteId: incident.siteId,
    incidentId: incident.id,
    at: iso(entry.at),
    by: entry.by.userId,
    kind: entry.kind,
    text: entry.text,
    updatedAt: iso(entry.at),
  }));
}

export function generateIncidents(rng: Random, context: OrgContext, count: number): void {
  const { now, people } = context;
  const active = context.devices.filter((r) => r.device.status !== 'retired').map((r) => r.device);
  const bySiteKind = groupBy(active, (d) => `${d.siteId}|${d.kind}`);
  const alertsByDevice = groupBy(context.alerts.filter((a) => a.status !== 'resolved'), (a) => a.deviceId);
  const runsBySite = groupBy(context.runs, (r) => r.siteId);
  const runbookTitles = new Map(context.runbooks.map((r) => [r.id, r.title]));
  const runbookKinds = new Map(context.runbooks.map((r) => [r.id, r.appliesTo.deviceKinds]));
  const userName = new Map(Object.values(people).map((u) => [u.userId, u.name]));

  // Template × site pairs that have the devices the story needs.
  const scenarios: { template: IncidentTemplate; siteIndex: number; devices: Device[] }[] = [];
  for (const template of TEMPLATES) {
    context.sites.forEach((site, siteIndex) => {
      if (template.siteKinds && !template.siteKinds.includes(site.kind)) return;
      const devices = template.kinds.flatMap((kind) => bySiteKind.get(`${site.doc.id}|${kind}`) ?? []);
      if (devices.length > 0) scenarios.push({ template, siteIndex, devices });
    });
  }

  for (let i = 0; i < count; i++) {
    const scenario = scenarios.length > 0
      ? rng.pick(scenarios)
      : { template: rng.pick(TEMPLATES), siteIndex: rng.int(0, context.sites.length - 1), devices: [] };
    const { template } = scenario;
    const site = context.sites[scenario.siteIndex] ?? context.staffSite;
    const siteId = site.doc.id;
    const devices = rng.sample(scenario.devices, rng.int(1, 4));
    const host = devices[0]?.hostname ?? site.hostCode;
    const status = rng.weighted<Status>([['triage', 25], ['contained', 25], ['resolved', 25], ['closed', 25]]);
    const severityIndex = SEVERITIES.indexOf(template.severity) + rng.weighted([[0, 6], [-1, 1], [1, 2]] as const);
    const severity = SEVERITIES[Math.min(3, Math.max(0, severityIndex))] ?? template.severity;

    // Open incidents pick up the open alerts of their devices and start after them.
    const alerts = status === 'triage' || status === 'contained'
      ? devices.flatMap((d) => alertsByDevice.get(d.id) ?? []).filter((a) => a.incidentId === undefined).slice(0, 6)
      : [];
    const lastAlertAt = alerts.reduce((max, a) => Math.max(max, Date.parse(a.openedAt)), 0);
    const times = timesFor(rng, status, now, alerts.length > 0 ? lastAlertAt + rng.int(MINUTE, 30 * MINUTE) : undefined);

    const openedBy: UserEntry = siteId === context.staffSite.doc.id && rng.chance(0.5) ? people.staff : actorAt(rng, context, siteId);
    const incident: Incident = {
      id: rng.uuid(times.openedAt),
      orgId: context.org.id,
      siteId,
      title: fill(template.title, site.doc.name, host),
      summary: fill(template.summary, site.doc.name, host),
      severity,
      status,
      deviceIds: devices.map((d) => d.id),
      alertIds: alerts.map((a) => a.id),
      runIds: [],
      openedBy: openedBy.userId,
      openedAt: iso(times.openedAt),
      updatedAt: '',
    };
    if (times.acknowledgedAt !== undefined) incident.acknowledgedAt = iso(times.acknowledgedAt);
    if (times.resolvedAt !== undefined) incident.resolvedAt = iso(times.resolvedAt);
    if (times.closedAt !== undefined) incident.closedAt = iso(times.closedAt);
    for (const alert of alerts) alert.incidentId = incident.id;

    const endAt = times.resolvedAt ?? now - MINUTE;
    // A run belongs to the incident when it ran during it, on its devices or their kind.
    const deviceIds = new Set(incident.deviceIds);
    const run = (runsBySite.get(siteId) ?? []).find((r) => {
      const startedAt = Date.parse(r.startedAt);
      const isRelevant = (r.deviceId !== undefined && deviceIds.has(r.deviceId))
        || (runbookKinds.get(r.runbookId) ?? []).some((kind) => template.kinds.includes(kind));
      return r.incidentId === undefined && isRelevant && startedAt >= times.openedAt && startedAt <= endAt;
    });
    if (run) {
      run.incidentId = incident.id;
      incident.runIds.push(run.id);
    }

    const runLabel = run
      ? `"${runbookTitles.get(run.runbookId) ?? 'runbook'}" by ${userName.get(run.startedBy) ?? 'a technician'}`
      : undefined;
    const entries = buildTimeline(rng, context, {
      incident, template, times, openedBy, host, runStartedAt: run ? Date.parse(run.startedAt) : undefined, runLabel,
    });
    for (const entry of entries) context.timeline.push(entry);
    incident.updatedAt = latest(incident.openedAt, incident.acknowledgedAt, incident.resolvedAt, incident.closedAt, ...entries.map((e) => e.at));
    context.incidents.push(incident);
  }
}
