import { A, useParams } from '@solidjs/router';
import { For, Show, createEffect, createMemo, createResource } from 'solid-js';
import { runProgress } from '../../../shared/runbook/run-progress.ts';
import { runbookVersionId } from '../../../shared/runbook/version-id.ts';
import type { Run, StepResult } from '../../../shared/schema/run.ts';
import { useReplica } from '../../app/replica-context.tsx';
import { newId } from '../../data/ids.ts';
import { mayWrite } from '../../data/may-write.ts';
import { usePersonName } from '../../data/people.ts';
import { useDocument } from '../../data/queries.ts';
import { updateDocument } from '../../data/write.ts';
import { NotOnDevice } from '../../ui/NotOnDevice.tsx';
import { Notice, createSaving } from '../../ui/Notice.tsx';
import { useNow } from '../../ui/now.ts';
import { ago, formatDateTime } from '../../ui/relative-time.ts';
import { FinishRun } from './FinishRun.tsx';
import { RunStep } from './RunStep.tsx';
import { finished, withStepResult } from './run-changes.ts';
import { OUTCOME_LABELS, OUTCOME_TONE } from './runbook-labels.ts';
import '../../ui/lists.css';
import './runbooks.css';

/** A run as a checklist; everything is saved on this device as it happens, so it can be resumed. */
export default function RunView() {
  const params = useParams<{ id: string }>();
  const run = useDocument('runs', () => params.id);
  return (
    <Show when={run()} fallback={<NotOnDevice title="Run not found" backHref="/runbooks" backLabel="Runbooks" />}>
      {(current) => <Checklist run={current()} />}
    </Show>
  );
}

function Checklist(props: { run: Run }) {
  const replica = useReplica();
  const now = useNow();
  const personName = usePersonName();
  const runbook = useDocument('runbooks', () => props.run.runbookId);
  // The steps as approved in the run's version when it was frozen; else the runbook's own.
  const [versionId] = createResource(() => [props.run.runbookId, props.run.runbookVersion] as const, ([id, version]) => runbookVersionId(id, version));
  const version = useDocument('runbook_versions', () => versionId());
  const steps = () => version()?.steps ?? runbook()?.steps ?? [];
  const title = () => version()?.title ?? runbook()?.title ?? 'Runbook';
  const device = useDocument('devices', () => props.run.deviceId);
  const site = useDocument('sites', () => props.run.siteId);
  const progress = createMemo(() => runProgress(steps(), props.run.stepResults));
  const { isSaving, notice, save } = createSaving();

  const sampleResult = (): StepResult => ({ id: newId(), stepId: steps()[0]?.id ?? newId(), result: 'done', by: replica.user.id, at: new Date(now()).toISOString() });
  const isReadOnly = () => props.run.finishedAt !== undefined || !mayWrite(replica, 'runs', props.run, withStepResult(props.run, sampleResult()), runbook());

  const record = async (stepId: string, result: StepResult['result'], note: string) => {
    const entry: StepResult = { id: newId(), stepId, result, ...(note ? { note } : {}), by: replica.user.id, at: new Date().toISOString() };
    const isSaved = await save(() => updateDocument(replica, 'runs', props.run.id, (current) => withStepResult(current, entry)), `Step ${steps().findIndex((s) => s.id === stepId) + 1}: ${result}.`);
    // One thumb, no scrolling hunt: bring the next open step into view.
    const open = progress().steps.filter((s) => s.current === undefined && s.step.id !== stepId);
    const after = steps().findIndex((s) => s.id === stepId);
    const next = open.find((s) => steps().indexOf(s.step) > after) ?? open[0];
    if (isSaved && next) document.getElementById(`run-step-${next.step.id}`)?.scrollIntoView({ behavior: 'smooth', block: 'start' });
    return isSaved;
  };
  const finish = (outcome: NonNullable<Run['outcome']>) =>
    void save(() => updateDocument(replica, 'runs', props.run.id, (current) => finished(current, outcome, new Date().toISOString())), `Run finished: ${OUTCOME_LABELS[outcome].toLowerCase()}.`);

  // Resuming a run: open at the first step without a result, not at the top of a long list.
  let hasResumed = false;
  createEffect(() => {
    const next = progress().nextStepId;
    if (hasResumed || steps().length === 0) return;
    hasResumed = true;
    if (next && props.run.stepResults.length > 0) queueMicrotask(() => document.getElementById(`run-step-${next}`)?.scrollIntoView({ block: 'start' }));
  });

  const share = (count: number) => `${steps().length === 0 ? 0 : (100 * count) / steps().length}%`;

  return (
    <article class="page run" aria-labelledby="run-title">
      <A class="back" href={`/runbooks/${props.run.runbookId}`}>
        ← {title()}
      </A>
      <header class="run-head card">
        <div class="badges">
          <Show when={props.run.outcome} fallback={<span class="badge info">In progress</span>}>
            {(outcome) => (
              <span class={`badge ${OUTCOME_TONE[outcome()]}`} data-testid="run-outcome">
                {OUTCOME_LABELS[outcome()]}
              </span>
            )}
          </Show>
          <span class="muted">Version {props.run.runbookVersion}</span>
        </div>
        <h1 id="run-title">{title()}</h1>
        <p class="muted run-where">
          <Show when={device()} fallback={<span>Whole site</span>}>
            {(d) => <A href={`/fleet/${d().id}`}>{d().hostname}</A>}
          </Show>{' '}
          · {site()?.name ?? 'Unknown site'} · started by {personName(props.run.startedBy)} {ago(props.run.startedAt, now())}
        </p>
        <div class="progress" role="img" aria-label={`${progress().done} done, ${progress().skipped} skipped, ${progress().failed} failed, ${progress().remaining} to go`}>
          <span class="seg done" style={{ width: share(progress().done) }} />
          <span class="seg skipped" style={{ width: share(progress().skipped) }} />
          <span class="seg failed" style={{ width: share(progress().failed) }} />
        </div>
        <p class="progress-text" data-testid="run-progress">
          {steps().length - progress().remaining} of {steps().length} steps · {progress().done} done · {progress().skipped} skipped · {progress().failed} failed
        </p>
      </header>
      <Show when={props.run.finishedAt} fallback={<Notice message={notice()} />}>
        {(at) => (
          <p class="notice ok" role="status">
            Finished {formatDateTime(at())}
            {props.run.outcome ? ` as ${OUTCOME_LABELS[props.run.outcome].toLowerCase()}` : ''}: this run is a record now and can no longer change.
          </p>
        )}
      </Show>
      <ol class="run-steps" aria-label="Checklist">
        <For each={steps()}>
          {(step, index) => (
            <RunStep
              state={progress().steps[index()] ?? { step, current: undefined, earlier: [] }}
              number={index() + 1}
              isNext={!isReadOnly() && progress().nextStepId === step.id}
              isReadOnly={isReadOnly()}
              isSaving={isSaving()}
              now={now()}
              personName={personName}
              onRecord={(result, note) => record(step.id, result, note)}
            />
          )}
        </For>
      </ol>
      <Show when={!isReadOnly()}>
        <FinishRun progress={progress()} isSaving={isSaving()} onFinish={finish} />
      </Show>
    </article>
  );
}
