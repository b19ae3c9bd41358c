/**
 * Deterministic, realistic datasets for the demo, tests and benchmarks: the same options
 * (including `now`) always produce the same documents, ids included.
 */
import type { CollectionName, EntityOf } from '../../shared/schema/index.ts';
import { Random } from './random.ts';
import { allocate, type OrgContext } from './generate/context.ts';
import { generateOrgFrame } from './generate/orgs.ts';
import { generateDevices } from './generate/devices.ts';
import { generateAlerts } from './generate/alerts.ts';
import { generateRunbooks } from './generate/runbooks.ts';
import { generateRuns } from './generate/runs.ts';
import { generateIncidents } from './generate/incidents.ts';
import { generateRisks } from './generate/risks.ts';

export interface DatasetOptions {
  seed: number;
  orgs: number;
  sitesPerOrg: number;
  /** Totals across all orgs, split as evenly as whole numbers allow. */
  devices: number;
  runbooks: number;
  risks: number;
  incidents: number;
  /** Every timestamp is placed relative to this instant. */
  now: Date;
}

export type Dataset = { [C in CollectionName]: EntityOf<C>[] };

/** Two orgs — a retail chain and a healthcare MSP client — small enough to read through. */
export const DEMO_OPTIONS: Omit<DatasetOptions, 'now'> = {
  seed: 20_260_131,
  orgs: 2,
  sitesPerOrg: 4,
  devices: 120,
  runbooks: 20,
  risks: 40,
  incidents: 8,
};

/** Runs are not an option: a fleet has some executions per runbook, roughly three for every five. */
const RUNS_PER_RUNBOOK = 0.6;

function validate(options: DatasetOptions): void {
  for (const key of ['orgs', 'sitesPerOrg', 'devices', 'runbooks', 'risks', 'incidents'] as const) {
    const value = options[key];
    if (!Number.isSafeInteger(value) || value < 0) throw new RangeError(`${key} must be a non-negative integer, got ${value}`);
  }
  if (!Number.isFinite(options.seed)) throw new RangeError(`seed must be a finite number, got ${options.seed}`);
  if (Number.isNaN(options.now.getTime())) throw new RangeError('now must be a valid Date');
  if (options.orgs > 0 && options.sitesPerOrg === 0) throw new RangeError('sitesPerOrg must be at least 1 when orgs > 0');
  const hasContent = options.devices + options.runbooks + options.risks + options.incidents > 0;
  if (options.orgs === 0 && hasContent) throw new RangeError('orgs must be at least 1 to hold devices, runbooks, risks or incidents');
}

export function generateDataset(options: DatasetOptions): Dataset {
  validate(options);
  const now = options.now.getTime();
  const root = new Random(options.seed);
  const even = Array.from({ length: options.orgs }, () => 1);
  const devices = allocate(options.devices, even);
  const runbooks = allocate(options.runbooks, even);
  const risks = allocate(options.risks, even);
  const incidents = allocate(options.incidents, even);

  const dataset: Dataset = {
    orgs: [], sites: [], devices: [], alerts: [], runbooks: [], runs: [], risks: [], incidents: [], timeline: [], users: [],
    runbook_versions: [], doc_updates: [],
  };
  for (let index = 0; index < options.orgs; index++) {
    // One stream per org and concern: raising the risk count leaves devices and ids unchanged.
    const stream = (name: string) => root.fork(`org${index}/${name}`);
    const context: OrgContext = generateOrgFrame(stream('frame'), index, options.sitesPerOrg, now);
    const orgRunbooks = runbooks[index] ?? 0;
    generateDevices(stream('devices'), context, devices[index] ?? 0);
    generateAlerts(stream('alerts'), context);
    generateRunbooks(stream('runbooks'), context, orgRunbooks);
    generateRuns(stream('runs'), context, Math.round(orgRunbooks * RUNS_PER_RUNBOOK));
    generateIncidents(stream('incidents'), context, incidents[index] ?? 0);
    generateRisks(stream('risks'), context, risks[index] ?? 0);
    append(dataset, context);
  }
  return dataset;
}

function append(dataset: Dataset, context: OrgContext): void {
  dataset.orgs.push(context.org);
  for (const site of context.sites) dataset.sites.push(site.doc);
  dataset.users.push(...Object.values(context.people));
  // Loops rather than push(...items): spreading very large arrays can exceed the engine's argument limit.
  for (const record of context.devices) dataset.devices.push(record.device);
  for (const alert of context.alerts) dataset.alerts.push(alert);
  for (const runbook of context.runbooks) dataset.runbooks.push(runbook);
  for (const run of context.runs) dataset.runs.push(run);
  for (const incident of context.incidents) dataset.incidents.push(incident);
  for (const entry of context.timeline) dataset.timeline.push(entry);
  for (const risk of context.risks) dataset.risks.push(risk);
}
