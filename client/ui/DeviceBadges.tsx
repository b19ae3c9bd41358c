import type { Device } from '../../shared/schema/device.ts';

const STATUS_TONE: Record<Device['status'], string> = { online: 'ok', offline: '', stale: 'warn', retired: '' };
const HEALTH_TONE: Record<Device['health'], string> = { ok: 'ok', warning: 'warn', critical: 'bad' };
const HEALTH_MARK: Record<Device['health'], string> = { ok: '✓', warning: '!', critical: '✕' };

/** Online / offline / stale / retired: a laptop offline at night is normal, so only stale is flagged. */
export function StatusBadge(props: { status: Device['status'] }) {
  return <span class={`badge ${STATUS_TONE[props.status]}`}>{props.status}</span>;
}

/** Health with a mark as well as a colour, so it reads without colour vision. */
export function HealthBadge(props: { health: Device['health'] }) {
  return (
    <span class={`badge ${HEALTH_TONE[props.health]}`}>
      <span aria-hidden="true">{HEALTH_MARK[props.health]} </span>
      {props.health}
    </span>
  );
}
