import { A, useLocation, useParams } from '@solidjs/router';
import { Match, Show, Switch, createEffect, createSignal, untrack } from 'solid-js';
import { map } from 'rxjs';
import type { Risk } from '../../../shared/schema/risk.ts';
import { useReplica } from '../../app/replica-context.tsx';
import { newId } from '../../data/ids.ts';
import { mayWrite } from '../../data/may-write.ts';
import { createRxSignal } from '../../ui/rx.ts';
import { DecisionLog } from './DecisionLog.tsx';
import { riskWriterOrgIds } from './risk-access.ts';
import { blankRisk } from './risk-form.ts';
import { RiskForm } from './RiskForm.tsx';
import './risks.css';

function NewRisk() {
  const replica = useReplica();
  const writerOrgIds = riskWriterOrgIds(replica);
  const firstOrg = writerOrgIds[0];
  return (
    <>
      <h1 id="risk-edit-title">New risk</h1>
      <Show when={firstOrg} fallback={<p class="card">Only managers and admins add risks to the register.</p>}>
        {(orgId) => <RiskForm opened={blankRisk(orgId(), newId(), new Date())} isNew latest={undefined} writerOrgIds={writerOrgIds} />}
      </Show>
    </>
  );
}

function ExistingRisk(props: { id: string }) {
  const replica = useReplica();
  const location = useLocation<{ created?: boolean }>();
  // 'loading' until the local database has answered, so "not here" is not said too early.
  const risk = createRxSignal<Risk | undefined | 'loading'>(
    () => replica.db.collections.risks.findOne(props.id).$.pipe(map((document) => (document ? (document.toJSON() as unknown as Risk) : undefined))),
    'loading',
  );
  const current = () => {
    const value = risk();
    return value === 'loading' ? undefined : value;
  };
  // The form starts from the first state found; later changes reach it as `latest`.
  const [opened, setOpened] = createSignal<Risk>();
  createEffect(() => {
    const value = current();
    if (value && !untrack(opened)) setOpened(value);
  });
  return (
    <Switch>
      <Match when={risk() === 'loading'}>
        <h1 id="risk-edit-title">Risk</h1>
        <p class="muted">Opening…</p>
      </Match>
      <Match when={!opened() && !current()}>
        <h1 id="risk-edit-title">Risk not found</h1>
        <p class="card" role="alert">
          This risk is not on this device: it may have been deleted, not synced yet, or be outside what you can see.
        </p>
      </Match>
      <Match when={opened()}>
        {(start) => (
          <>
            <h1 id="risk-edit-title">{current()?.title ?? start().title}</h1>
            <Show when={location.state?.created}>
              <p class="notice ok" role="status">
                Risk created on this device{replica.status.isOnline() ? '' : '; it syncs when you are back online'}.
              </p>
            </Show>
            <RiskForm opened={start()} isNew={false} latest={current()} writerOrgIds={riskWriterOrgIds(replica)} />
            <DecisionLog risk={current() ?? start()} canRecord={mayWrite(replica, 'risks', start(), start())} />
          </>
        )}
      </Match>
    </Switch>
  );
}

/** `/risks/new` creates; `/risks/:id` edits (or shows, to those who may only read). */
export default function RiskEdit() {
  const params = useParams<{ id: string }>();
  const isNew = () => params.id === 'new';
  return (
    <section class="page risk-edit" aria-labelledby="risk-edit-title">
      <A href="/risks" class="back-link">
        ← Risk register
      </A>
      <Show when={isNew()} fallback={<Show when={params.id} keyed>{(id) => <ExistingRisk id={id} />}</Show>}>
        <NewRisk />
      </Show>
    </section>
  );
}
