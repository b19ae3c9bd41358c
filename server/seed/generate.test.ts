import * as v from 'valibot';
import { describe, expect, it } from 'vitest';
import { COLLECTIONS, COLLECTION_NAMES, type CollectionName } from '../../shared/schema/index.ts';
import { DEMO_OPTIONS, generateDataset, type Dataset, type DatasetOptions } from './generate.ts';
import { THRESHOLDS } from './generate/health.ts';

const NOW = new Date('2026-01-31T12:00:00.000Z');
const SMALL: DatasetOptions = { ...DEMO_OPTIONS, now: NOW };
const MEDIUM: DatasetOptions = { seed: 7, orgs: 5, sitesPerOrg: 6, devices: 1500, runbooks: 130, risks: 300, incidents: 61, now: NOW };

const small = generateDataset(SMALL);
const medium = generateDataset(MEDIUM);
const DATASETS: readonly (readonly [string, Dataset])[] = [['small', small], ['medium', medium]];

function schemaFailures(dataset: Dataset): string[] {
  const failures: string[] = [];
  for (const name of COLLECTION_NAMES) {
    const schema: v.GenericSchema = COLLECTIONS[name].schema;
    for (const doc of dataset[name]) {
      const result = v.safeParse(schema, doc);
      if (!result.success) {
        const issue = result.issues[0];
        failures.push(`${name} ${doc.id}: ${v.getDotPath(issue) ?? '(root)'} ${issue.message}`);
      }
    }
  }
  return failures;
}

/**
 * Every reference names a generated document of the same org (people by their `userId`), site-
 * scoped documents agree on the site, and site staff act only at their own site.
 */
function referenceProblems(d: Dataset): string[] {
  const problems: string[] = [];
  const check = (ok: boolean, message: string) => {
    if (!ok) problems.push(message);
  };
  const index = <T extends { id: string }>(docs: readonly T[]) => new Map(docs.map((doc) => [doc.id, doc]));
  const orgs = index(d.orgs);
  const sites = index(d.sites);
  const devices = index(d.devices);
  const alerts = index(d.alerts);
  const runbooks = index(d.runbooks);
  const runs = index(d.runs);
  const incidents = index(d.incidents);
  const users = new Map(d.users.map((u) => [u.userId, u]));

  const ref = <T extends { orgId: string }>(map: Map<string, T>, id: string | undefined, orgId: string, what: string): T | undefined => {
    if (id === undefined) return undefined;
    const target = map.get(id);
    check(target?.orgId === orgId, `${what} ${id} does not resolve in org ${orgId}`);
    return target;
  };
  const site = (id: string, orgId: string, what: string) => ref(sites, id, orgId, `${what}: site`);
  /** A person reference; staff may only act at their own site. */
  const person = (userId: string | undefined, orgId: string, siteId: string | undefined, what: string) => {
    const user = ref(users, userId, orgId, `${what}: user`);
    if (user?.role === 'staff' && siteId !== undefined) check(user.siteIds.includes(siteId), `${what}: staff acted outside their site`);
  };

  for (const name of COLLECTION_NAMES) {
    for (const doc of d[name] as readonly { id: string; orgId: string; siteId?: string }[]) {
      check(orgs.has(doc.orgId), `${name} ${doc.id}: org ${doc.orgId} missing`);
      if (doc.siteId !== undefined) site(doc.siteId, doc.orgId, `${name} ${doc.id}`);
    }
  }
  for (const org of d.orgs) check(org.orgId === org.id, `org ${org.id}: orgId must equal id`);
  for (const s of d.sites) check(s.siteId === s.id, `site ${s.id}: siteId must equal id`);
  for (const user of d.users) for (const id of user.siteIds) site(id, user.orgId, `user ${user.id}`);
  for (const alert of d.alerts) {
    const what = `alert ${alert.id}`;
    check(ref(devices, alert.deviceId, alert.orgId, `${what}: device`)?.siteId === alert.siteId, `${what}: device at another site`);
    person(alert.acknowledgedBy, alert.orgId, alert.siteId, what);
    person(alert.resolvedBy, alert.orgId, alert.siteId, what);
    const incident = ref(incidents, alert.incidentId, alert.orgId, `${what}: incident`);
    if (incident) check(incident.alertIds.includes(alert.id), `${what}: incident does not list it`);
  }
  for (const runbook of d.runbooks) {
    for (const id of runbook.appliesTo.siteIds) site(id, runbook.orgId, `runbook ${runbook.id}`);
    person(runbook.approvedBy, runbook.orgId, undefined, `runbook ${runbook.id}`);
  }
  for (const run of d.runs) {
    const what = `run ${run.id}`;
    const runbook = ref(runbooks, run.runbookId, run.orgId, `${what}: runbook`);
    const stepIds = new Set(runbook?.steps.map((s) => s.id));
    if (run.deviceId !== undefined) check(ref(devices, run.deviceId, run.orgId, `${what}: device`)?.siteId === run.siteId, `${what}: device at another site`);
    person(run.startedBy, run.orgId, run.siteId, what);
    for (const result of run.stepResults) {
      check(stepIds.has(result.stepId), `${what}: step ${result.stepId} is not in the runbook`);
      person(result.by, run.orgId, run.siteId, `${what} step result`);
    }
    const incident = ref(incidents, run.incidentId, run.orgId, `${what}: incident`);
    if (incident) check(incident.runIds.includes(run.id), `${what}: incident does not list it`);
  }
  for (const incident of d.incidents) {
    const what = `incident ${incident.id}`;
    for (const id of incident.deviceIds) check(ref(devices, id, incident.orgId, `${what}: device`)?.siteId === incident.siteId, `${what}: device at another site`);
    for (const id of incident.alertIds) check(ref(alerts, id, incident.orgId, `${what}: alert`)?.incidentId === incident.id, `${what}: alert not linked back`);
    for (const id of incident.runIds) check(ref(runs, id, incident.orgId, `${what}: run`)?.incidentId === incident.id, `${what}: run not linked back`);
    person(incident.openedBy, incident.orgId, incident.siteId, what);
  }
  for (const entry of d.timeline) {
    const what = `timeline ${entry.id}`;
    check(ref(incidents, entry.incidentId, entry.orgId, `${what}: incident`)?.siteId === entry.siteId, `${what}: incident at another site`);
    person(entry.by, entry.orgId, entry.siteId, what);
  }
  for (const risk of d.risks) {
    const what = `risk ${risk.id}`;
    person(risk.ownerId, risk.orgId, undefined, what);
    for (const m of risk.mitigations) person(m.ownerId, risk.orgId, undefined, `${what} mitigation`);
    for (const decision of risk.decisions) person(decision.by, risk.orgId, undefined, `${what} decision`);
    person(risk.acceptance?.approvedBy, risk.orgId, undefined, `${what} acceptance`);
    for (const id of risk.links.deviceIds) ref(devices, id, risk.orgId, `${what}: device`);
    for (const id of risk.links.siteIds) site(id, risk.orgId, what);
    for (const id of risk.links.runbookIds) ref(runbooks, id, risk.orgId, `${what}: runbook`);
    for (const id of risk.links.incidentIds) ref(incidents, id, risk.orgId, `${what}: incident`);
  }
  return problems;
}

const counts = (d: Dataset) => Object.fromEntries(COLLECTION_NAMES.map((name) => [name, d[name].length])) as Record<CollectionName, number>;

describe('generateDataset', () => {
  it.each(DATASETS)('produces only documents that pass their collection schema (%s)', (_, dataset) => {
    expect(schemaFailures(dataset).slice(0, 10)).toEqual([]);
    expect(counts(dataset).alerts).toBeGreaterThan(0);
    expect(counts(dataset).runs).toBeGreaterThan(0);
    expect(counts(dataset).timeline).toBeGreaterThan(0);
  });

  it.each(DATASETS)('resolves every reference within its own org (%s)', (_, dataset) => {
    expect(referenceProblems(dataset).slice(0, 10)).toEqual([]);
  });

  it.each(DATASETS)('never repeats an id and never dates anything after now (%s)', (_, dataset) => {
    const ids = COLLECTION_NAMES.flatMap((name) => dataset[name].map((doc) => doc.id));
    expect(new Set(ids).size).toBe(ids.length);
    const nowIso = NOW.toISOString();
    const late = COLLECTION_NAMES.flatMap((name) => dataset[name].filter((doc) => doc.updatedAt > nowIso).map((doc) => `${name} ${doc.id}`));
    expect(late).toEqual([]);
  });

  it('is deterministic: the same options give a deep-equal dataset', () => {
    expect(generateDataset(SMALL)).toEqual(small);
    expect(generateDataset(MEDIUM)).toEqual(medium);
  });

  it('gives a different dataset for a different seed', () => {
    const other = generateDataset({ ...SMALL, seed: SMALL.seed + 1 });
    expect(other).not.toEqual(small);
    expect(other.devices.map((d) => d.id)).not.toEqual(small.devices.map((d) => d.id));
    expect(other.devices.map((d) => d.serial)).not.toEqual(small.devices.map((d) => d.serial));
  });

  it.each([
    { seed: 1, orgs: 1, sitesPerOrg: 1, devices: 7, runbooks: 3, risks: 2, incidents: 1 },
    { seed: 2, orgs: 3, sitesPerOrg: 5, devices: 101, runbooks: 31, risks: 29, incidents: 7 },
    { seed: 3, orgs: 6, sitesPerOrg: 2, devices: 250, runbooks: 40, risks: 55, incidents: 13 },
    { seed: 4, orgs: 2, sitesPerOrg: 3, devices: 0, runbooks: 0, risks: 0, incidents: 0 },
  ])('honors the requested totals ($orgs orgs, $devices devices)', (options) => {
    const dataset = generateDataset({ ...options, now: NOW });
    const c = counts(dataset);
    expect(c.orgs).toBe(options.orgs);
    expect(c.sites).toBe(options.orgs * options.sitesPerOrg);
    expect(c.users).toBe(options.orgs * 4);
    expect(c.devices).toBe(options.devices);
    expect(c.runbooks).toBe(options.runbooks);
    expect(c.risks).toBe(options.risks);
    expect(c.incidents).toBe(options.incidents);
    expect(schemaFailures(dataset)).toEqual([]);
    expect(referenceProblems(dataset)).toEqual([]);
  });

  it('rejects options it cannot honor with a readable message', () => {
    expect(() => generateDataset({ ...SMALL, devices: -1 })).toThrow(/devices must be a non-negative integer/);
    expect(() => generateDataset({ ...SMALL, sitesPerOrg: 0 })).toThrow(/sitesPerOrg/);
    expect(() => generateDataset({ ...SMALL, orgs: 0 })).toThrow(/orgs must be at least 1/);
  });

  it('spreads 2,000 risks over all 25 cells of the likelihood × impact matrix', () => {
    const dataset = generateDataset({ seed: 11, orgs: 2, sitesPerOrg: 3, devices: 200, runbooks: 40, risks: 2000, incidents: 10, now: NOW });
    expect(dataset.risks).toHaveLength(2000);
    const cells = new Set(dataset.risks.map((r) => `${r.likelihood}x${r.impact}`));
    expect(cells.size).toBe(25);
    expect(dataset.risks.every((r) => r.score === r.likelihood * r.impact)).toBe(true);
    const nowIso = NOW.toISOString();
    expect(dataset.risks.some((r) => r.status !== 'closed' && r.nextReviewAt < nowIso)).toBe(true);
    expect(dataset.risks.some((r) => r.acceptance !== undefined && r.status === 'accepted')).toBe(true);
    expect(dataset.risks.some((r) => r.acceptance !== undefined && r.acceptance.until < nowIso && r.status === 'open')).toBe(true);
  });

  it('generates 10,000 devices spread over every site', () => {
    const dataset = generateDataset({ seed: 5, orgs: 2, sitesPerOrg: 4, devices: 10_000, runbooks: 1000, risks: 2000, incidents: 100, now: NOW });
    expect(dataset.devices).toHaveLength(10_000);
    expect(dataset.runbooks).toHaveLength(1000);
    expect(dataset.risks).toHaveLength(2000);
    expect(new Set(dataset.devices.map((d) => d.siteId)).size).toBe(8);
    expect(new Set(dataset.devices.map((d) => d.hostname)).size).toBe(10_000);
  });
});

describe('the demo dataset', () => {
  it('has two recognisable orgs with a directory of one user per role', () => {
    expect(small.orgs.map((o) => o.name)).toEqual(['Northwind Retail', 'Contoso Health Partners']);
    expect(small.users.filter((u) => u.email.endsWith('@northwind.example')).map((u) => u.email)).toEqual([
      'admin@northwind.example', 'manager@northwind.example', 'technician@northwind.example', 'staff@northwind.example',
    ]);
    for (const user of small.users) expect(user.siteIds).toHaveLength(user.role === 'staff' ? 1 : 0);
  });

  it('names devices the way technicians do and mixes many kinds', () => {
    for (const device of small.devices) expect(device.hostname).toMatch(/^[a-z]{2}\d*-[a-z]+\d*-[a-z]+-\d{2,}$/);
    expect(small.devices.some((d) => /^nw-sto\d{3}-pos-\d{2}$/.test(d.hostname))).toBe(true);
    expect(new Set(small.devices.map((d) => d.kind)).size).toBeGreaterThanOrEqual(10);
  });

  it('mixes device states: mostly online, some offline or stale, a few retired', () => {
    const byStatus = (status: string) => medium.devices.filter((d) => d.status === status).length;
    expect(byStatus('online') / medium.devices.length).toBeGreaterThan(0.7);
    expect(byStatus('offline')).toBeGreaterThan(0);
    expect(byStatus('stale')).toBeGreaterThan(0);
    expect(byStatus('retired')).toBeGreaterThan(0);
    expect(byStatus('retired')).toBeLessThan(byStatus('offline') + byStatus('stale'));
  });
});

describe('consistency', () => {
  const active = medium.devices.filter((d) => d.status !== 'retired');

  it('gives health reasons exactly when health is not ok', () => {
    for (const device of medium.devices) expect(device.healthReasons.length === 0).toBe(device.health === 'ok');
  });

  it('never calls a device with a nearly full disk healthy', () => {
    const low = active.filter((d) => d.inventory?.disks.some((disk) => disk.freeBytes / disk.totalBytes * 100 < THRESHOLDS.diskFreeWarningPercent));
    expect(low.length).toBeGreaterThan(0);
    for (const device of low) expect(device.health).not.toBe('ok');
    const critical = active.filter((d) => d.inventory?.disks.some((disk) => disk.freeBytes / disk.totalBytes * 100 < THRESHOLDS.diskFreeCriticalPercent));
    for (const device of critical) expect(device.health).toBe('critical');
  });

  it('marks offline or stale devices unhealthy and retired ones quiet', () => {
    for (const device of medium.devices) {
      if (device.status === 'offline' || device.status === 'stale') expect(device.health).not.toBe('ok');
      if (device.status === 'retired') {
        expect(device.health).toBe('ok');
        expect(device.trend).toEqual([]);
      }
    }
  });

  it('keeps observations in the past with a 24-point hourly trend', () => {
    const nowMs = NOW.getTime();
    for (const device of active) {
      const observedAt = Date.parse(device.inventory?.observedAt ?? '');
      expect(observedAt).toBeLessThanOrEqual(nowMs);
      if (device.trend.length > 0) {
        expect(device.trend).toHaveLength(24);
        const times = device.trend.map((p) => Date.parse(p.at));
        times.forEach((t, i) => i > 0 && expect(t - (times[i - 1] ?? 0)).toBe(3_600_000));
      }
    }
  });

  it('opens alerts only on unhealthy devices, some of them acknowledged', () => {
    const devices = new Map(medium.devices.map((d) => [d.id, d]));
    const unresolved = medium.alerts.filter((a) => a.status !== 'resolved');
    for (const alert of unresolved) expect(devices.get(alert.deviceId)?.health).not.toBe('ok');
    expect(unresolved.some((a) => a.status === 'acknowledged' && a.acknowledgedBy !== undefined)).toBe(true);
    expect(unresolved.some((a) => a.status === 'open')).toBe(true);
  });

  it('dates incidents as their status implies, with 2–6 timeline entries each', () => {
    const entries = new Map<string, number>();
    for (const entry of medium.timeline) entries.set(entry.incidentId, (entries.get(entry.incidentId) ?? 0) + 1);
    for (const incident of medium.incidents) {
      if (incident.status !== 'triage') expect(incident.acknowledgedAt).toBeDefined();
      const isResolved = incident.status === 'resolved' || incident.status === 'closed';
      expect(incident.resolvedAt !== undefined).toBe(isResolved);
      expect(incident.closedAt !== undefined).toBe(incident.status === 'closed');
      if (incident.acknowledgedAt) expect(incident.acknowledgedAt >= incident.openedAt).toBe(true);
      if (incident.resolvedAt && incident.acknowledgedAt) expect(incident.resolvedAt >= incident.acknowledgedAt).toBe(true);
      const count = entries.get(incident.id) ?? 0;
      expect(count).toBeGreaterThanOrEqual(2);
      expect(count).toBeLessThanOrEqual(6);
    }
  });

  it('records runs step by step in time order with outcomes where finished', () => {
    for (const run of medium.runs) {
      const times = run.stepResults.map((r) => r.at);
      expect([...times].sort()).toEqual(times);
      if (run.finishedAt !== undefined) expect(run.outcome).toBeDefined();
      if (run.outcome === 'failed') expect(run.stepResults.at(-1)?.result).toBe('failed');
    }
  });
});
