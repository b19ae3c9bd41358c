import { For, Match, Show, Switch, createMemo, createSignal } from 'solid-js';
import { diffVersions, type TextPart } from '../../../shared/runbook/version-diff.ts';
import type { RunbookVersion } from '../../../shared/schema/runbook-version.ts';
import { usePersonName } from '../../data/people.ts';
import { useDocuments } from '../../data/queries.ts';
import { formatDateTime } from '../../ui/relative-time.ts';
import './runbook-versions.css';

function Parts(props: { parts: TextPart[] }) {
  return (
    <For each={props.parts}>
      {(part) => (
        <Switch fallback={<span>{part.text}</span>}>
          <Match when={part.kind === 'added'}>
            <ins>{part.text}</ins>
          </Match>
          <Match when={part.kind === 'removed'}>
            <del>{part.text}</del>
          </Match>
        </Switch>
      )}
    </For>
  );
}

/** What changed between two frozen versions, in words a reviewer reads: added, removed, moved. */
function VersionDiffView(props: { older: RunbookVersion; newer: RunbookVersion }) {
  const diff = createMemo(() => diffVersions(props.older, props.newer));
  return (
    <div class="version-diff" aria-live="polite">
      <Show when={!diff().isSame} fallback={<p class="muted">Versions {diff().from} and {diff().to} are the same.</p>}>
        <For each={diff().fields}>
          {(change) => (
            <p>
              <strong>{change.field}: </strong>
              <Parts parts={change.parts} />
            </p>
          )}
        </For>
        <For each={diff().steps}>
          {(change) => (
            <Switch>
              <Match when={change.kind === 'added' && change}>{(added) => <p><ins>Step {added().position + 1} added: {added().step.instruction}</ins></p>}</Match>
              <Match when={change.kind === 'removed' && change}>{(removed) => <p><del>Step {removed().position + 1} removed: {removed().step.instruction}</del></p>}</Match>
              <Match when={change.kind === 'moved' && change}>{(moved) => <p>Step {moved().from + 1} moved to position {moved().to + 1}.</p>}</Match>
              <Match when={change.kind === 'changed' && change}>
                {(changed) => (
                  <div>
                    <p>
                      <strong>Step {changed().to + 1} changed</strong>
                    </p>
                    <For each={changed().fields}>
                      {(field) => (
                        <p class="indent">
                          {field.field}: <Parts parts={field.parts} />
                        </p>
                      )}
                    </For>
                  </div>
                )}
              </Match>
            </Switch>
          )}
        </For>
        <Show when={diff().body.some((part) => part.kind !== 'same')}>
          <h4>Text</h4>
          <pre class="body-diff">
            <Parts parts={diff().body} />
          </pre>
        </Show>
      </Show>
    </div>
  );
}

/** The runbook's approved versions, frozen as approved, and what changed between any two. */
export function RunbookVersions(props: { runbookId: string; isApproved: boolean }) {
  const versions = useDocuments('runbook_versions', () => ({ selector: { runbookId: props.runbookId }, sort: [{ version: 'desc' }] }));
  const nameOf = usePersonName();
  const [olderNumber, setOlderNumber] = createSignal<number>();
  const [newerNumber, setNewerNumber] = createSignal<number>();
  const pick = (number: number | undefined) => versions().find((v) => v.version === number);
  const newer = () => pick(newerNumber()) ?? versions()[0];
  const older = () => pick(olderNumber()) ?? versions()[1];
  const pair = () => {
    const [from, to] = [older(), newer()];
    return from && to ? { older: from, newer: to } : undefined;
  };

  return (
    <section class="card runbook-versions" aria-labelledby="versions-title">
      <h2 id="versions-title">Versions</h2>
      <Show
        when={versions().length > 0}
        fallback={
          <p class="muted">
            {props.isApproved ? 'Approved before versions were kept on this server: the next approval freezes one.' : 'Not approved yet: approving freezes the first version.'}
          </p>
        }
      >
        <ul class="version-list">
          <For each={versions()}>
            {(version) => (
              <li>
                <strong>v{version.version}</strong> <span class="muted">approved by {nameOf(version.approvedBy)}, {formatDateTime(version.approvedAt)}</span>
              </li>
            )}
          </For>
        </ul>
        <Show when={versions().length > 1}>
          <div class="version-pickers">
            <label>
              From
              <select value={older()?.version} onChange={(e) => setOlderNumber(Number(e.currentTarget.value))}>
                <For each={versions()}>{(v) => <option value={v.version}>v{v.version}</option>}</For>
              </select>
            </label>
            <label>
              To
              <select value={newer()?.version} onChange={(e) => setNewerNumber(Number(e.currentTarget.value))}>
                <For each={versions()}>{(v) => <option value={v.version}>v{v.version}</option>}</For>
              </select>
            </label>
          </div>
          <Show when={pair()}>{(chosen) => <VersionDiffView older={chosen().older} newer={chosen().newer} />}</Show>
        </Show>
      </Show>
    </section>
  );
}
