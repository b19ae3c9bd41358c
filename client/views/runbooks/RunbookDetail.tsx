import { A, useParams, useSearchParams } from '@solidjs/router';
import { For, Show, createMemo } from 'solid-js';
import type { Runbook } from '../../../shared/schema/runbook.ts';
import { useReplica } from '../../app/replica-context.tsx';
import { isStaff } from './staff.ts';
import { mayWrite } from '../../data/may-write.ts';
import { usePersonName } from '../../data/people.ts';
import { useDocument, useDocuments } from '../../data/queries.ts';
import { Markdown } from '../../ui/Markdown.tsx';
import { NotOnDevice } from '../../ui/NotOnDevice.tsx';
import { Notice, createSaving } from '../../ui/Notice.tsx';
import { formatDateTime } from '../../ui/relative-time.ts';
import { CollabTextSection } from '../collab/CollabTextSection.tsx';
import { RunbookVersions } from './RunbookVersions.tsx';
import { RecentRuns } from './RecentRuns.tsx';
import { StartRun } from './StartRun.tsx';
import { StepDetails } from './StepDetails.tsx';
import { approveOnDevice, approved } from './approve-runbook.ts';
import { RUNBOOK_STATUS_LABELS, RUNBOOK_STATUS_TONE } from './runbook-labels.ts';
import '../../ui/lists.css';
import './runbooks.css';

/** One runbook to read (rendered, sanitized Markdown), run on a device or site, and approve. */
export default function RunbookDetail() {
  const replica = useReplica();
  const params = useParams<{ id: string }>();
  const runbook = useDocument('runbooks', () => params.id);
  return (
    <Show when={runbook()} fallback={<NotOnDevice title="Runbook not found" backHref="/runbooks" backLabel="Runbooks" />}>
      {(current) => (
        <Show when={current().status === 'approved' || !isStaff(replica.user)} fallback={<NotOnDevice title="Not approved yet" backHref="/runbooks" backLabel="Runbooks" explanation="Site staff follow approved runbooks only. Ask a technician, or pick another runbook." />}>
          <RunbookView runbook={current()} />
        </Show>
      )}
    </Show>
  );
}

function RunbookView(props: { runbook: Runbook }) {
  const replica = useReplica();
  const personName = usePersonName();
  const [search] = useSearchParams<{ deviceId?: string }>();
  const { isSaving, notice, save } = createSaving();
  const canApprove = createMemo(
    () => (props.runbook.status === 'draft' || props.runbook.status === 'in_review') && mayWrite(replica, 'runbooks', props.runbook, approved(props.runbook, replica.user.id, new Date().toISOString())),
  );
  // Editing the long-form text is editing the runbook: the same rule decides.
  const canEditText = createMemo(() => mayWrite(replica, 'runbooks', props.runbook, props.runbook));
  const sites = useDocuments('sites');
  // "For printers, pos tagged receipt, at Store 014": who the author wrote it for.
  const appliesTo = () => {
    const { deviceKinds, tags, siteIds } = props.runbook.appliesTo;
    const parts = [
      deviceKinds.length > 0 ? deviceKinds.join(', ') : 'any device',
      tags.length > 0 ? `tagged ${tags.join(' and ')}` : '',
      siteIds.length > 0 ? `at ${siteIds.map((id) => sites().find((s) => s.id === id)?.name ?? 'another site').join(', ')}` : '',
    ];
    return `For ${parts.filter(Boolean).join(' ')}`;
  };
  const backHref = () => (search.deviceId ? `/runbooks?deviceId=${encodeURIComponent(search.deviceId)}` : '/runbooks');

  return (
    <article class="page runbook" aria-labelledby="runbook-title">
      <A class="back" href={backHref()}>
        ← Runbooks
      </A>
      <header class="runbook-head">
        <div class="badges">
          <span class={`badge ${RUNBOOK_STATUS_TONE[props.runbook.status]}`} data-testid="runbook-status">
            {RUNBOOK_STATUS_LABELS[props.runbook.status]}
          </span>
          <span class="muted">Version {props.runbook.version}</span>
        </div>
        <h1 id="runbook-title">{props.runbook.title}</h1>
        {/* A runbook returned to draft keeps its last approval on record, but no longer shows it as approved. */}
        <Show when={props.runbook.status === 'approved' ? props.runbook.approvedAt : undefined}>
          {(at) => (
            <p class="muted approval">
              Approved by {personName(props.runbook.approvedBy)} on {formatDateTime(at())}
            </p>
          )}
        </Show>
        <Show when={appliesTo()}>{(text) => <p class="applies-to">{text()}</p>}</Show>
        <Show when={props.runbook.tags.length > 0}>
          <ul class="tags" aria-label="Tags">
            <For each={props.runbook.tags}>{(tag) => <li>{tag}</li>}</For>
          </ul>
        </Show>
      </header>
      <div class="runbook-layout">
        <section class="card runbook-start">
          <StartRun runbook={props.runbook} deviceId={search.deviceId} />
        </section>
        <div class="runbook-main">
          <Show when={props.runbook.summary}>
            <Markdown text={props.runbook.summary} class="runbook-summary-text" />
          </Show>
          <section aria-labelledby="steps-title">
            <h2 id="steps-title">
              Steps <span class="muted">({props.runbook.steps.length})</span>
            </h2>
            <ol class="steps">
              <For each={props.runbook.steps}>
                {(step, index) => (
                  <li class="step card">
                    <span class="step-number" aria-hidden="true">
                      {index() + 1}
                    </span>
                    <StepDetails step={step} />
                  </li>
                )}
              </For>
            </ol>
          </section>
          <CollabTextSection target={{ collection: 'runbooks', id: props.runbook.id }} title="Background and notes" canEdit={canEditText()} emptyText="No long-form text for this runbook." />
        </div>
        <aside class="runbook-side" aria-label="Approval and runs">
          <Show when={canApprove()}>
            <section class="card" aria-labelledby="approve-title">
              <h2 id="approve-title">Approval</h2>
              <p class="muted">Approving freezes this text and these steps as a version of their own; staff can then run it.</p>
              <button type="button" class="primary" disabled={isSaving()} onClick={() => void save(() => approveOnDevice(replica, props.runbook.id), 'Approved.')}>
                Approve this runbook
              </button>
            </section>
          </Show>
          <Notice message={notice()} />
          <RecentRuns runbookId={props.runbook.id} />
          <RunbookVersions runbookId={props.runbook.id} isApproved={props.runbook.status === 'approved'} />
        </aside>
      </div>
    </article>
  );
}
