import { A } from '@solidjs/router';
import { For } from 'solid-js';
import type { Device } from '../../../shared/schema/device.ts';
import { DashCard } from './DashCard.tsx';
import { Donut } from './Donut.tsx';
import type { FleetHealth } from './metrics.ts';

const HEALTH: { level: Device['health']; label: string; color: string; tone: string }[] = [
  { level: 'critical', label: 'critical', color: '#b91c1c', tone: 'bad' },
  { level: 'warning', label: 'warning', color: '#d97706', tone: 'warn' },
  { level: 'ok', label: 'ok', color: '#15803d', tone: 'ok' },
];
const STATUS: { status: Device['status']; color: string }[] = [
  { status: 'online', color: '#15803d' },
  { status: 'offline', color: '#64748b' },
  { status: 'stale', color: '#d97706' },
  { status: 'retired', color: '#cbd5e1' },
];

/** Health as a ring with the counts beside it (each a way into the filtered fleet), and connectivity below. */
export function FleetHealthCard(props: { summary: FleetHealth }) {
  const described = () =>
    `Health of ${props.summary.inService} devices in service: ${HEALTH.map((h) => `${props.summary.health[h.level]} ${h.label}`).join(', ')}`;
  const statusTotal = () => STATUS.reduce((sum, s) => sum + props.summary.status[s.status], 0);
  return (
    <DashCard id="fleet-health-title" title="Fleet health" href="/fleet" linkLabel="Fleet">
      <div class="health-body">
        <Donut slices={HEALTH.map((h) => ({ label: h.label, value: props.summary.health[h.level], color: h.color }))} total={props.summary.inService} caption="devices" label={described()} />
        <ul class="stat-list">
          <For each={HEALTH}>
            {(h) => (
              <li>
                <A href={`/fleet?health=${h.level}`} class="stat-link" data-testid={`health-${h.level}`}>
                  <span class="dot" style={{ background: h.color }} aria-hidden="true" />
                  <span class="stat-number">{props.summary.health[h.level]}</span>
                  <span class="stat-label">{h.label}</span>
                </A>
              </li>
            )}
          </For>
        </ul>
      </div>
      <h3 class="dash-subhead">Connectivity</h3>
      <div class="stacked-bar" aria-hidden="true">
        <For each={STATUS}>
          {(s) => <span style={{ background: s.color, width: `${statusTotal() ? (props.summary.status[s.status] / statusTotal()) * 100 : 0}%` }} />}
        </For>
      </div>
      <ul class="inline-stats">
        <For each={STATUS}>
          {(s) => (
            <li>
              <A href={`/fleet?status=${s.status}`} data-testid={`status-${s.status}`}>
                <span class="dot" style={{ background: s.color }} aria-hidden="true" />
                <strong>{props.summary.status[s.status]}</strong> {s.status}
              </A>
            </li>
          )}
        </For>
      </ul>
    </DashCard>
  );
}
