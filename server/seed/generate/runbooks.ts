import type { Runbook } from '../../../shared/schema/index.ts';
import type { Random } from '../random.ts';
import { DAY, HOUR, iso, latest, uniqueTitle, type DeviceKind, type OrgContext, type SiteInfo } from './context.ts';
import { RUNBOOK_TEMPLATES, VARIATION_QUALIFIERS, type RunbookTemplate } from './runbook-templates.ts';

/**
 * The org's templates in the order a small org would write them: ones its fleet needs first
 * (by priority, shuffled within a priority), then the rest.
 */
function templatesFor(rng: Random, context: OrgContext): RunbookTemplate[] {
  const kinds = new Set<DeviceKind>();
  const kindTags = new Set<string>();
  for (const { device } of context.devices) {
    kinds.add(device.kind);
    for (const tag of device.tags) kindTags.add(`${device.kind}|${tag}`);
  }
  const isRelevant = (t: RunbookTemplate) =>
    t.kinds.some((kind) => kinds.has(kind) && (t.deviceTags ?? []).every((tag) => kindTags.has(`${kind}|${tag}`)));
  const rank = (t: RunbookTemplate) => (isRelevant(t) ? 0 : 10) + t.priority;
  const shuffled = rng.shuffle(RUNBOOK_TEMPLATES);
  return shuffled
    .map((template, order) => ({ template, order }))
    .sort((a, b) => rank(a.template) - rank(b.template) || a.order - b.order)
    .map(({ template }) => template);
}

interface Variation {
  readonly title: string;
  readonly site?: SiteInfo;
}

/** Where a template's devices are in this org, and which models they are. */
interface Fleet {
  readonly sites: readonly SiteInfo[];
  readonly models: readonly string[];
}

function fleetFor(context: OrgContext, template: RunbookTemplate): Fleet {
  const siteIds = new Set<string>();
  const models = new Set<string>();
  const tags = template.deviceTags ?? [];
  for (const { device } of context.devices) {
    if (!template.kinds.includes(device.kind) || !tags.every((tag) => device.tags.includes(tag))) continue;
    siteIds.add(device.siteId);
    if (device.model !== undefined) models.add(device.model);
  }
  return { sites: context.sites.filter((s) => siteIds.has(s.doc.id)), models: [...models].sort() };
}

/** A site edition or a model edition of a template, only where the org has such devices. */
function variationOf(rng: Random, template: RunbookTemplate, fleet: Fleet): Variation {
  const roll = rng.next();
  if (roll < 0.5 && fleet.sites.length > 0) {
    const site = rng.pick(fleet.sites);
    return { title: `${template.title} — ${site.doc.name}`, site };
  }
  if (roll < 0.85 && fleet.models.length > 0) return { title: `${template.title} (${rng.pick(fleet.models)})` };
  return { title: `${template.title} (${rng.pick(VARIATION_QUALIFIERS)})` };
}

export function generateRunbooks(rng: Random, context: OrgContext, count: number): void {
  const { now, people } = context;
  const templates = templatesFor(rng, context);
  const titles = new Set<string>();
  const fleets = new Map<RunbookTemplate, Fleet>();
  for (let i = 0; i < count; i++) {
    const template = templates[i % templates.length] as RunbookTemplate;
    let fleet = fleets.get(template);
    if (!fleet) {
      fleet = fleetFor(context, template);
      fleets.set(template, fleet);
    }
    const variation: Variation = i < templates.length ? { title: template.title } : variationOf(rng, template, fleet);
    const createdAt = now - rng.int(10 * DAY, 700 * DAY);
    // The core runbooks staff rely on are approved in any org that has them.
    const status = template.priority === 1 && i < templates.length && rng.chance(0.85)
      ? 'approved'
      : rng.weighted<Runbook['status']>([['approved', 60], ['in_review', 14], ['draft', 16], ['retired', 10]]);
    const version = status === 'draft' ? rng.int(1, 3) : rng.int(1, 6);

    const site = variation.site;
    const steps: Runbook['steps'] = [];
    if (site) {
      steps.push({
        id: rng.uuid(createdAt),
        instruction: `Read the site notes for ${site.doc.name} before you start: ${site.doc.connectivityNotes ?? 'no notes yet.'}`,
        check: 'Cabinet location and ISP circuit known',
      });
    }
    for (const step of template.steps) steps.push({ id: rng.uuid(createdAt), ...step });

    const tags = [...template.tags];
    if (site && !tags.includes(site.kind)) tags.push(site.kind);
    const runbook: Runbook = {
      id: rng.uuid(createdAt),
      orgId: context.org.id,
      title: uniqueTitle(titles, variation.title),
      summary: site ? `${template.summary} Written for ${site.doc.name}.` : template.summary,
      tags,
      appliesTo: {
        deviceKinds: [...template.kinds],
        tags: [...(template.deviceTags ?? [])],
        siteIds: site ? [site.doc.id] : [],
      },
      steps,
      status,
      version,
      updatedAt: '',
    };
    // Edited some time after creation, approved hours to days after the last edit, never in the future.
    const lastEditAt = createdAt + Math.floor(rng.next() * 0.9 * (now - createdAt));
    if (status === 'approved' || status === 'retired') {
      runbook.approvedBy = people.manager.userId;
      runbook.approvedAt = iso(lastEditAt + rng.int(HOUR, Math.max(HOUR, Math.min(5 * DAY, now - lastEditAt))));
    }
    runbook.updatedAt = latest(iso(lastEditAt), runbook.approvedAt);
    context.runbooks.push(runbook);
  }
}
