import { Show, createEffect, createSignal } from 'solid-js';
import { INCIDENT_SEVERITIES, INCIDENT_STATUSES, type Incident } from '../../../shared/schema/incident.ts';
import { INCIDENT_STATUS_LABELS, NEXT_INCIDENT_STATUS, withAcknowledgement, withStatus } from '../../../shared/incident/status.ts';
import { useReplica } from '../../app/replica-context.tsx';
import type { SaveResult } from '../../data/write.ts';
import { Notice, createSaving } from '../../ui/Notice.tsx';
import { Options, optionsOf } from '../../ui/Options.tsx';
import { INCIDENT_SEVERITY_LABELS } from '../../ui/tones.ts';
import { changeIncident } from './incident-writes.ts';

/** Move the incident through its life and change its severity; each change lands on the timeline. */
export function IncidentStatusPanel(props: { incident: Incident }) {
  const replica = useReplica();
  const [target, setTarget] = createSignal<Incident['status']>('contained');
  const [note, setNote] = createSignal('');
  const [severity, setSeverity] = createSignal<Incident['severity']>('sev3');
  const { isSaving, notice, save: run } = createSaving();

  // Offer the usual next step; follow the incident when someone else moves it.
  createEffect(() => setTarget(NEXT_INCIDENT_STATUS[props.incident.status] ?? 'triage'));
  createEffect(() => setSeverity(props.incident.severity));

  const save = async (work: () => Promise<SaveResult>, done: string) => {
    if (await run(work, done)) setNote('');
  };
  const withNote = (text: string) => (note().trim() ? `${text}: ${note().trim()}` : `${text}.`);
  const isReopen = () => INCIDENT_STATUSES.indexOf(target()) < INCIDENT_STATUSES.indexOf(props.incident.status);

  const acknowledge = () =>
    void save(
      () => changeIncident(replica, props.incident, (current, at) => withAcknowledgement(current, at), { kind: 'status', text: `Acknowledged by ${replica.user.name}; investigating.` }),
      'Acknowledged.',
    );
  const changeStatus = (event: SubmitEvent) => {
    event.preventDefault();
    const status = target();
    const text = withNote(isReopen() ? `Reopened as ${INCIDENT_STATUS_LABELS[status].toLowerCase()}` : INCIDENT_STATUS_LABELS[status]);
    void save(() => changeIncident(replica, props.incident, (current, at) => withStatus(current, status, at), { kind: 'status', text }), `Status: ${INCIDENT_STATUS_LABELS[status]}.`);
  };
  const changeSeverity = () => {
    const from = props.incident.severity;
    const to = severity();
    void save(
      () => changeIncident(replica, props.incident, (current) => ({ ...current, severity: to }), { kind: 'severity', text: withNote(`Severity ${from.toUpperCase()} → ${to.toUpperCase()}`) }),
      `Severity: ${to.toUpperCase()}.`,
    );
  };

  return (
    <section class="card incident-update" aria-labelledby="incident-update-title">
      <h2 id="incident-update-title">Update</h2>
      <Show when={props.incident.status === 'triage' && props.incident.acknowledgedAt === undefined}>
        <p class="notice warn">
          Nobody has acknowledged this incident yet.{' '}
          <button type="button" class="primary" disabled={isSaving()} onClick={acknowledge}>
            Acknowledge
          </button>
        </p>
      </Show>
      <form class="update-grid" onSubmit={changeStatus}>
        <div class="field">
          <label for="incident-next-status">Move to</label>
          <select id="incident-next-status" value={target()} onChange={(e) => setTarget(e.currentTarget.value as Incident['status'])}>
            <Options options={optionsOf(INCIDENT_STATUSES.filter((s) => s !== props.incident.status), INCIDENT_STATUS_LABELS)} selected={target()} />
          </select>
        </div>
        <div class="field">
          <label for="incident-severity-change">Severity</label>
          <select id="incident-severity-change" value={severity()} onChange={(e) => setSeverity(e.currentTarget.value as Incident['severity'])}>
            <Options options={optionsOf(INCIDENT_SEVERITIES, INCIDENT_SEVERITY_LABELS)} selected={severity()} />
          </select>
        </div>
        <div class="field wide">
          <label for="incident-change-note">Why (goes on the timeline, optional)</label>
          <input id="incident-change-note" value={note()} maxLength={2000} onInput={(e) => setNote(e.currentTarget.value)} />
        </div>
        <div class="actions wide">
          <button type="submit" class="primary" disabled={isSaving()}>
            {isReopen() ? 'Reopen' : `Mark ${INCIDENT_STATUS_LABELS[target()].toLowerCase()}`}
          </button>
          <button type="button" disabled={isSaving() || severity() === props.incident.severity} onClick={changeSeverity}>
            Change severity
          </button>
        </div>
      </form>
      <Notice message={notice()} />
    </section>
  );
}
