import type { Device, Run, Runbook, UserEntry } from '../../../shared/schema/index.ts';
import type { Random } from '../random.ts';
import { DAY, HOUR, MINUTE, actorAt, groupBy, iso, type OrgContext } from './context.ts';

type StepResult = Run['stepResults'][number];
type Outcome = 'succeeded' | 'failed' | 'aborted' | 'in-progress';

const DONE_NOTES = [
  'Took two attempts.', 'Site lead watched and can repeat this next time.', 'Photo of the label attached to the ticket.',
  'Worked first time.', 'Had to fetch the cabinet key from the service desk.',
];
const SKIP_NOTES = [
  'Not needed: already in the expected state.', 'Skipped: no access to the cabinet today.',
  'Not applicable to this model.', 'Done earlier by the site lead.',
];

function failureNote(rng: Random, step: Runbook['steps'][number]): string {
  if (step.commonErrors && rng.chance(0.6)) return `Hit the known problem: ${step.commonErrors}`;
  return rng.pick([
    'Device did not respond; escalated to the service desk.',
    'Spare part not on site; visit rebooked.',
    'Same error after three attempts.',
  ]);
}

/**
 * Step results for one execution: walk the steps in order, minutes apart, stopping where the
 * outcome says; a step retried after a failure keeps both results (append-only).
 */
function walkSteps(
  rng: Random, runbook: Runbook, startedAt: number, outcome: Outcome, runner: UserEntry, helper: UserEntry, now: number,
): { results: StepResult[]; lastAt: number } {
  const steps = runbook.steps;
  const results: StepResult[] = [];
  const stopAt = outcome === 'succeeded' ? steps.length : rng.int(1, Math.max(1, steps.length - 1));
  let at = startedAt;
  const add = (stepId: string, result: StepResult['result'], note: string | undefined) => {
    const by = rng.chance(0.9) ? runner : helper;
    const entry: StepResult = { id: rng.uuid(at), stepId, result, by: by.userId, at: iso(at) };
    if (note !== undefined) entry.note = note;
    results.push(entry);
  };
  for (let index = 0; index < stopAt; index++) {
    const step = steps[index];
    if (!step) break;
    at += rng.int(1 * MINUTE, 8 * MINUTE);
    if (outcome === 'in-progress' && at > now - MINUTE) break;
    const isLast = index === stopAt - 1;
    if (outcome === 'failed' && isLast) {
      add(step.id, 'failed', failureNote(rng, step));
    } else if (outcome === 'succeeded' && rng.chance(0.05)) {
      add(step.id, 'failed', failureNote(rng, step));
      at += rng.int(2 * MINUTE, 10 * MINUTE);
      add(step.id, 'done', 'Worked on the second attempt.');
    } else if (index > 0 && rng.chance(0.08)) {
      add(step.id, 'skipped', rng.pick(SKIP_NOTES));
    } else {
      add(step.id, 'done', rng.chance(0.2) ? rng.pick(DONE_NOTES) : undefined);
    }
  }
  return { results, lastAt: at };
}

/** Executions of approved (and formerly approved) runbooks on devices they apply to. */
export function generateRuns(rng: Random, context: OrgContext, count: number): void {
  const { now, people } = context;
  const runnable = context.runbooks.filter((r) => (r.status === 'approved' || r.status === 'retired') && r.steps.length > 0);
  if (runnable.length === 0 || count === 0) return;
  const active = context.devices.filter((r) => r.device.status !== 'retired').map((r) => r.device);
  const byKind = groupBy(active, (d) => d.kind);
  const bySiteKind = groupBy(active, (d) => `${d.siteId}|${d.kind}`);

  /**
   * A random device the runbook applies to, drawn from the kind lists without concatenating
   * them (an org can hold thousands of workstations); tags are met by rejection.
   */
  const pickDevice = (runbook: Runbook, siteIds: readonly string[]): Device | undefined => {
    const lists: Device[][] = [];
    for (const kind of runbook.appliesTo.deviceKinds) {
      if (siteIds.length === 0) lists.push(byKind.get(kind) ?? []);
      else for (const siteId of siteIds) lists.push(bySiteKind.get(`${siteId}|${kind}`) ?? []);
    }
    const total = lists.reduce((sum, list) => sum + list.length, 0);
    const tags = runbook.appliesTo.tags;
    for (let attempt = 0; total > 0 && attempt < 40; attempt++) {
      let index = rng.int(0, total - 1);
      for (const list of lists) {
        if (index < list.length) {
          const device = list[index];
          if (device && tags.every((tag) => device.tags.includes(tag))) return device;
          break;
        }
        index -= list.length;
      }
    }
    return undefined;
  };

  const runbookWeights = runnable.map((r) => [r, r.status === 'approved' ? 4 : 1] as const);
  for (let i = 0; i < count; i++) {
    const runbook = rng.weighted(runbookWeights);
    const isStaffRunbook = runbook.tags.includes('staff');
    const staffSiteId = context.staffSite.doc.id;
    const preferStaffSite = isStaffRunbook && runbook.appliesTo.siteIds.length === 0 && rng.chance(0.5);
    const siteIds = preferStaffSite ? [staffSiteId] : runbook.appliesTo.siteIds;
    const device = pickDevice(runbook, siteIds) ?? (preferStaffSite ? pickDevice(runbook, runbook.appliesTo.siteIds) : undefined);
    const siteId = device?.siteId ?? rng.pick(runbook.appliesTo.siteIds.length > 0 ? runbook.appliesTo.siteIds : context.sites.map((s) => s.doc.id));

    const runner = isStaffRunbook && siteId === staffSiteId && rng.chance(0.7) ? people.staff : actorAt(rng, context, siteId, 0);
    const helper = siteId === staffSiteId ? people.staff : people.technician;
    const outcome: Outcome = runbook.status === 'retired'
      ? rng.weighted<Outcome>([['succeeded', 7], ['failed', 2], ['aborted', 1]])
      : rng.weighted<Outcome>([['succeeded', 62], ['failed', 14], ['aborted', 9], ['in-progress', 15]]);
    const startedAt = outcome === 'in-progress' ? now - rng.int(5 * MINUTE, 90 * MINUTE)
      : runbook.status === 'retired' ? now - rng.int(60 * DAY, 300 * DAY)
        : now - rng.int(3 * HOUR, 60 * DAY);
    const { results, lastAt } = walkSteps(rng, runbook, startedAt, outcome, runner, helper, now);

    const run: Run = {
      id: rng.uuid(startedAt),
      orgId: context.org.id,
      siteId,
      runbookId: runbook.id,
      runbookVersion: runbook.version > 1 && rng.chance(0.2) ? runbook.version - 1 : runbook.version,
      startedBy: runner.userId,
      startedAt: iso(startedAt),
      stepResults: results,
      updatedAt: iso(lastAt),
    };
    if (device) run.deviceId = device.id;
    if (outcome !== 'in-progress') {
      const finishedAt = Math.min(now, lastAt + rng.int(1 * MINUTE, 5 * MINUTE));
      run.finishedAt = iso(finishedAt);
      run.outcome = outcome;
      run.updatedAt = run.finishedAt;
    }
    context.runs.push(run);
  }
}
