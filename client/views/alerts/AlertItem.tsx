import { A } from '@solidjs/router';
import { Show } from 'solid-js';
import type { Alert } from '../../../shared/schema/alert.ts';
import type { Device } from '../../../shared/schema/device.ts';
import { incidentFromAlert } from '../../../shared/incident/from-alert.ts';
import { useReplica } from '../../app/replica-context.tsx';
import { mayWrite } from '../../data/may-write.ts';
import { ALERT_SEVERITY_TONE } from '../../ui/tones.ts';
import { ago, formatDateTime } from '../../ui/relative-time.ts';
import { acknowledged, linkedToIncident, resolved } from './alert-changes.ts';

export interface AlertActions {
  acknowledge(alert: Alert): void;
  resolve(alert: Alert): void;
  openIncident(alert: Alert): void;
}

const STATUS_TONE = { open: 'bad', acknowledged: 'warn', resolved: 'ok' } as const;

/** One alert: what, where, since when, who handled it, and what the user may do about it. */
export function AlertItem(props: { alert: Alert; device: Device | undefined; siteName: string; personName(id: string | undefined): string; now: number; isBusy: boolean; actions: AlertActions }) {
  const replica = useReplica();
  const me = () => replica.user.id;
  const at = () => new Date(props.now).toISOString();
  const canAcknowledge = () => props.alert.status === 'open' && mayWrite(replica, 'alerts', props.alert, acknowledged(props.alert, me(), at()));
  const canResolve = () => props.alert.status !== 'resolved' && mayWrite(replica, 'alerts', props.alert, resolved(props.alert, me(), at()));
  const canOpenIncident = () => {
    // A resolved alert needs no incident; one already escalated links to its incident instead.
    if (props.alert.incidentId !== undefined || props.alert.status === 'resolved') return false;
    const draft = incidentFromAlert(props.alert, { id: props.alert.id, openedBy: me(), openedAt: at() });
    return mayWrite(replica, 'incidents', undefined, { ...draft, updatedAt: at() }) && mayWrite(replica, 'alerts', props.alert, linkedToIncident(props.alert, draft.id));
  };
  const titleId = () => `alert-${props.alert.id}`;

  return (
    <li class="item with-actions" data-tone={props.alert.status === 'resolved' ? 'ok' : ALERT_SEVERITY_TONE[props.alert.severity]} aria-labelledby={titleId()} data-testid="alert-item">
      <div class="item-body">
        <div class="badges">
          <span class={`badge ${ALERT_SEVERITY_TONE[props.alert.severity]}`}>{props.alert.severity}</span>
          <span class={`badge ${STATUS_TONE[props.alert.status]}`}>{props.alert.status}</span>
          <span class="muted alert-rule">{props.alert.rule}</span>
        </div>
        <p class="item-title" id={titleId()}>
          {props.alert.message}
        </p>
        <div class="item-meta">
          <Show when={props.device} fallback={<span>Unknown device</span>}>
            {(device) => <A href={`/fleet/${device().id}`}>{device().hostname}</A>}
          </Show>
          <span>{props.siteName}</span>
          <span title={formatDateTime(props.alert.openedAt)}>opened {ago(props.alert.openedAt, props.now)}</span>
          <Show when={props.alert.acknowledgedAt}>
            {(when) => (
              <span title={formatDateTime(when())}>
                acknowledged by {props.personName(props.alert.acknowledgedBy)} {ago(when(), props.now)}
              </span>
            )}
          </Show>
          <Show when={props.alert.resolvedAt}>
            {(when) => (
              <span title={formatDateTime(when())}>
                resolved by {props.personName(props.alert.resolvedBy)} {ago(when(), props.now)}
              </span>
            )}
          </Show>
        </div>
      </div>
      <div class="actions">
        <Show when={canAcknowledge()}>
          <button type="button" class="primary" disabled={props.isBusy} onClick={() => props.actions.acknowledge(props.alert)} aria-describedby={titleId()}>
            Acknowledge
          </button>
        </Show>
        <Show when={canResolve()}>
          <button type="button" disabled={props.isBusy} onClick={() => props.actions.resolve(props.alert)} aria-describedby={titleId()}>
            Resolve
          </button>
        </Show>
        <Show when={props.alert.incidentId} fallback={
          <Show when={canOpenIncident()}>
            <button type="button" disabled={props.isBusy} onClick={() => props.actions.openIncident(props.alert)} aria-describedby={titleId()}>
              Open incident
            </button>
          </Show>
        }>
          {(incidentId) => (
            <A class="button" href={`/incidents/${incidentId()}`}>
              View incident
            </A>
          )}
        </Show>
      </div>
    </li>
  );
}
