import type { CollectionName } from '../../../shared/schema/collections.ts';

/** What a person calls a document of each collection. */
export const COLLECTION_NOUNS: Record<CollectionName, string> = {
  orgs: 'Organization', sites: 'Site', devices: 'Device', alerts: 'Alert', runbooks: 'Runbook', runs: 'Run',
  risks: 'Risk', incidents: 'Incident', timeline: 'Timeline entry', users: 'User', runbook_versions: 'Runbook version', doc_updates: 'Text edit',
};

/** Where a document is shown in the app, when it has a page of its own. */
export function documentHref(collection: CollectionName, id: string): string | undefined {
  const pages: Partial<Record<CollectionName, string>> = { devices: '/fleet', runbooks: '/runbooks', runs: '/runs', risks: '/risks', incidents: '/incidents' };
  const base = pages[collection];
  return base ? `${base}/${id}` : collection === 'alerts' ? '/alerts' : undefined;
}
