import type { Incident } from '../../../shared/schema/incident.ts';
import type { TimelineEntry } from '../../../shared/schema/timeline.ts';
import type { Replica } from '../../app/replica.ts';
import { newId } from '../../data/ids.ts';
import { createDocument, updateDocument, type SaveResult } from '../../data/write.ts';

type Scoped = Pick<Incident, 'id' | 'orgId' | 'siteId'>;

/** One entry of the incident's append-only timeline, by the signed-in user. */
export function appendTimeline(replica: Replica, incident: Scoped, kind: TimelineEntry['kind'], text: string, at = new Date().toISOString()): Promise<SaveResult> {
  return createDocument(replica, 'timeline', {
    id: newId(),
    orgId: incident.orgId,
    siteId: incident.siteId,
    incidentId: incident.id,
    at,
    by: replica.user.id,
    kind,
    text,
  });
}

/** Creates the incident and its first timeline entry ("Opened as sev3: …"). */
export async function openIncident(replica: Replica, draft: Omit<Incident, 'updatedAt'>, context: string): Promise<SaveResult> {
  const created = await createDocument(replica, 'incidents', draft);
  if (!created.ok) return created;
  return appendTimeline(replica, draft, 'status', `Opened as ${draft.severity}: ${context}`.slice(0, 8000), draft.openedAt);
}

/**
 * Changes the incident and records why on its timeline. The entry is written only once the
 * change is saved, so the timeline never tells of a change that did not happen.
 */
export async function changeIncident(
  replica: Replica,
  incident: Scoped,
  change: (current: Incident, at: string) => Incident,
  entry: { kind: TimelineEntry['kind']; text: string },
): Promise<SaveResult> {
  const at = new Date().toISOString();
  const saved = await updateDocument(replica, 'incidents', incident.id, (current) => change(current, at));
  if (!saved.ok) return saved;
  return appendTimeline(replica, incident, entry.kind, entry.text, at);
}
