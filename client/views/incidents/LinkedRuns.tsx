import { A } from '@solidjs/router';
import { For, Show, createMemo } from 'solid-js';
import type { Incident } from '../../../shared/schema/incident.ts';
import type { Run } from '../../../shared/schema/run.ts';
import { useReplica } from '../../app/replica-context.tsx';
import { useDocuments } from '../../data/queries.ts';
import { updateDocument } from '../../data/write.ts';
import { Notice, createSaving } from '../../ui/Notice.tsx';
import { ago } from '../../ui/relative-time.ts';
import { changeIncident } from './incident-writes.ts';
import { LinkPicker } from './LinkPicker.tsx';

/** Runs older than this are not offered for linking: a site's whole history would drown the list. */
const CANDIDATE_LIMIT = 40;

/** The runbook runs done for an incident; a run at its site can be linked both ways. */
export function LinkedRuns(props: { incident: Incident; canUpdate: boolean; now: number }) {
  const replica = useReplica();
  const atSite = useDocuments('runs', () => ({ selector: { siteId: props.incident.siteId } }));
  const runbooks = useDocuments('runbooks', () => ({ selector: { id: { $in: [...new Set(atSite().map((r) => r.runbookId))] } } }));
  const devices = useDocuments('devices', () => ({ selector: { siteId: props.incident.siteId } }));
  const titleOf = (run: Run) => runbooks().find((r) => r.id === run.runbookId)?.title ?? 'A runbook';
  const describe = (run: Run) => {
    const device = devices().find((d) => d.id === run.deviceId)?.hostname;
    return `${titleOf(run)}${device ? ` on ${device}` : ''}`;
  };
  const linked = createMemo(() => atSite().filter((r) => props.incident.runIds.includes(r.id)));
  const candidates = createMemo(() =>
    atSite()
      .filter((r) => !props.incident.runIds.includes(r.id))
      .sort((a, b) => b.startedAt.localeCompare(a.startedAt))
      .slice(0, CANDIDATE_LIMIT)
      .map((r) => ({ value: r.id, label: `${describe(r)} · ${ago(r.startedAt, props.now)}` })),
  );
  const { isSaving, notice, save } = createSaving();

  const link = (runId: string) => {
    const run = atSite().find((r) => r.id === runId);
    if (!run) return;
    void save(async () => {
      const saved = await changeIncident(replica, props.incident, (current) => ({ ...current, runIds: [...new Set([...current.runIds, runId])] }), {
        kind: 'link',
        text: `Linked the run of "${describe(run)}".`,
      });
      // The run points back to the incident unless it already serves another one.
      if (!saved.ok || run.incidentId !== undefined) return saved;
      return updateDocument(replica, 'runs', runId, (current) => (current.incidentId === undefined ? { ...current, incidentId: props.incident.id } : current));
    }, `Linked the run of "${describe(run)}".`);
  };

  return (
    <section class="card" aria-labelledby="incident-runs-title">
      <h2 id="incident-runs-title">Runbook runs</h2>
      <ul class="link-list">
        <For each={linked()} fallback={<li class="muted">No runs linked.</li>}>
          {(run) => (
            <li>
              <A href={`/runs/${run.id}`}>{describe(run)}</A>
              <span class={`badge ${run.outcome === 'succeeded' ? 'ok' : run.outcome === undefined ? 'info' : 'bad'}`}>{run.outcome ?? 'in progress'}</span>
              <span class="muted">started {ago(run.startedAt, props.now)}</span>
            </li>
          )}
        </For>
      </ul>
      <Show when={props.canUpdate}>
        <LinkPicker id="link-run" label="Link a run at this site" candidates={candidates()} emptyText="No other runs at this site yet." isBusy={isSaving()} onLink={link} />
      </Show>
      <Notice message={notice()} />
    </section>
  );
}
