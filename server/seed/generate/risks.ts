import type { Device, Risk, Runbook, UserEntry } from '../../../shared/schema/index.ts';
import type { Random } from '../random.ts';
import { DAY, iso, latest, readableTime, uniqueTitle, type DeviceKind, type OrgContext } from './context.ts';
import { DECISION_TEXTS, RATIONALES, RISK_TEMPLATES, type RiskTemplate } from './risk-templates.ts';

type Treatment = Risk['treatment'];
type Status = Risk['status'];
type Level = 1 | 2 | 3 | 4 | 5;

const LIKELIHOOD_WEIGHTS = [[1, 2], [2, 4], [3, 5], [4, 3], [5, 1.5]] as const;
const IMPACT_WEIGHTS = [[1, 1.5], [2, 3], [3, 5], [4, 4], [5, 2]] as const;
const ALL_CELLS: readonly (readonly [Level, Level])[] = ([1, 2, 3, 4, 5] as const).flatMap((l) =>
  ([1, 2, 3, 4, 5] as const).map((i) => [l, i] as const));

function statusFor(rng: Random, treatment: Treatment): Status {
  switch (treatment) {
    case 'mitigate': return rng.weighted<Status>([['mitigating', 55], ['open', 30], ['closed', 15]]);
    // An expired acceptance reopens the risk: some accepted risks are back to open.
    case 'accept': return rng.weighted<Status>([['accepted', 80], ['open', 20]]);
    case 'transfer': return rng.weighted<Status>([['mitigating', 40], ['closed', 60]]);
    case 'avoid': return rng.weighted<Status>([['closed', 60], ['mitigating', 40]]);
  }
}

export function generateRisks(rng: Random, context: OrgContext, count: number): void {
  const { now, people } = context;
  const active = context.devices.filter((r) => r.device.status !== 'retired').map((r) => r.device);
  const devicesByKind = new Map<DeviceKind, Device[]>();
  for (const device of active) {
    const list = devicesByKind.get(device.kind);
    if (list) list.push(device);
    else devicesByKind.set(device.kind, [device]);
  }
  const runbooksByKind = new Map<DeviceKind, Runbook[]>();
  for (const runbook of context.runbooks) {
    for (const kind of runbook.appliesTo.deviceKinds) {
      const list = runbooksByKind.get(kind);
      if (list) list.push(runbook);
      else runbooksByKind.set(kind, [runbook]);
    }
  }
  // The first 25 risks of an org fill every cell of the heat map once; the rest cluster mid-matrix.
  const cells = rng.shuffle(ALL_CELLS);
  const templates = rng.shuffle(RISK_TEMPLATES);
  const titles = new Set<string>();
  const owner = () => rng.weighted<UserEntry>([[people.manager, 5], [people.admin, 2], [people.technician, 3]]);
  const approver = () => rng.weighted<UserEntry>([[people.manager, 4], [people.admin, 1]]);

  for (let i = 0; i < count; i++) {
    const template = (i < templates.length ? templates[i] : rng.pick(templates)) as RiskTemplate;
    const cell = cells[i];
    const likelihood: Level = cell ? cell[0] : rng.weighted(LIKELIHOOD_WEIGHTS);
    const impact: Level = cell ? cell[1] : rng.weighted(IMPACT_WEIGHTS);
    let treatment = rng.weighted<Treatment>([['mitigate', 55], ['accept', 20], ['transfer', 15], ['avoid', 10]]);
    if (treatment === 'transfer' && !template.transfer) treatment = 'mitigate';
    const status = statusFor(rng, treatment);

    // Devices the risk is about, and their sites; repeats of a template name one site.
    const linkedDevices = new Map<string, Device>();
    const kindDevices = template.kinds.flatMap((kind) => {
      const list = devicesByKind.get(kind);
      return list && list.length > 0 ? [list] : [];
    });
    for (let n = rng.int(0, 3); n > 0 && kindDevices.length > 0; n--) {
      const device = rng.pick(rng.pick(kindDevices));
      linkedDevices.set(device.id, device);
    }
    const site = i >= templates.length ? rng.pick(context.sites) : undefined;
    const siteIds = new Set([...(site ? [site.doc.id] : []), ...[...linkedDevices.values()].map((d) => d.siteId)]);
    const runbookCandidates = template.kinds.flatMap((kind) => runbooksByKind.get(kind) ?? []);
    const runbookIds = new Set(rng.sample(runbookCandidates, rng.int(0, 2)).map((r) => r.id));
    const incidentIds = context.incidents.length > 0 && rng.chance(0.15) ? [rng.pick(context.incidents).id] : [];

    // Timeline of the risk: logged, treatment decided, possibly accepted and expired.
    let createdAt = now - rng.int(20 * DAY, 720 * DAY);
    let acceptance: Risk['acceptance'];
    if (treatment === 'accept') {
      const isExpired = status === 'open';
      const until = isExpired ? now - rng.int(DAY, 60 * DAY) : now + rng.int(5 * DAY, 300 * DAY);
      const approvedAt = isExpired ? until - rng.int(90 * DAY, 365 * DAY) : now - rng.int(DAY, 300 * DAY);
      createdAt = Math.min(createdAt, approvedAt - rng.int(DAY, 30 * DAY));
      acceptance = { approvedBy: approver().userId, approvedAt: iso(approvedAt), until: iso(until) };
    }
    const riskOwner = owner();
    const decisions: Risk['decisions'] = [{
      id: rng.uuid(createdAt), at: iso(createdAt), by: riskOwner.userId,
      decision: `Logged with likelihood ${likelihood} and impact ${impact}.`,
    }];
    const decidedAt = acceptance ? Date.parse(acceptance.approvedAt) : Math.min(now, createdAt + rng.int(DAY, 30 * DAY));
    const treatmentDecision: Risk['decisions'][number] = {
      id: rng.uuid(decidedAt), at: iso(decidedAt), by: acceptance?.approvedBy ?? approver().userId,
      decision: rng.pick(DECISION_TEXTS[treatment]),
    };
    if (rng.chance(0.5)) treatmentDecision.rationale = rng.pick(RATIONALES);
    decisions.push(treatmentDecision);
    if (acceptance && status === 'open') {
      const expiredAt = Date.parse(acceptance.until);
      decisions.push({
        id: rng.uuid(expiredAt), at: acceptance.until, by: people.manager.userId,
        decision: `Acceptance expired on ${readableTime(expiredAt).slice(0, 10)}; reopened for review.`,
      });
    }

    const mitigations: Risk['mitigations'] = [];
    const actions = treatment === 'transfer' ? [`Confirm cover in place: ${template.transfer ?? 'contract'}`]
      : treatment === 'accept' ? rng.sample(template.mitigations, rng.int(0, 1))
        : rng.sample(template.mitigations, rng.int(1, template.mitigations.length));
    const doneCount = status === 'closed' ? actions.length : status === 'mitigating' ? rng.int(0, Math.max(0, actions.length - 1)) : 0;
    actions.forEach((action, index) => {
      const isDone = index < doneCount;
      // Open actions are mostly due ahead; a quarter are overdue, which the dashboard surfaces.
      const dueAt = isDone || rng.chance(0.25) ? Math.min(now - DAY, decidedAt + rng.int(7 * DAY, 90 * DAY)) : now + rng.int(7 * DAY, 120 * DAY);
      mitigations.push({ id: rng.uuid(decidedAt), action, ownerId: owner().userId, dueAt: iso(dueAt), status: isDone ? 'done' : 'open' });
    });

    const nextReviewAt = status === 'closed' ? now + rng.int(90 * DAY, 365 * DAY)
      : acceptance && status === 'open' ? Date.parse(acceptance.until) + rng.int(0, 14 * DAY)
        : rng.chance(0.18) ? now - rng.int(DAY, 60 * DAY)
          : now + rng.int(7 * DAY, 120 * DAY);

    const risk: Risk = {
      id: rng.uuid(createdAt),
      orgId: context.org.id,
      title: uniqueTitle(titles, site ? `${template.title} — ${site.doc.name}` : template.title),
      description: template.description,
      category: template.category,
      ownerId: riskOwner.userId,
      likelihood,
      impact,
      score: likelihood * impact,
      treatment,
      mitigations,
      status,
      nextReviewAt: iso(nextReviewAt),
      links: {
        deviceIds: [...linkedDevices.keys()],
        siteIds: [...siteIds],
        runbookIds: [...runbookIds],
        incidentIds,
      },
      decisions,
      updatedAt: latest(...decisions.map((d) => d.at)),
    };
    if (acceptance) risk.acceptance = acceptance;
    if ((status === 'mitigating' || status === 'closed') && treatment !== 'accept') {
      risk.residualLikelihood = Math.max(1, likelihood - rng.int(status === 'closed' ? 1 : 0, 2));
      risk.residualImpact = Math.max(1, impact - rng.int(0, 1));
    }
    context.risks.push(risk);
  }
}
