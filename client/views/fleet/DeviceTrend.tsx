import { For, Show } from 'solid-js';
import type { Device } from '../../../shared/schema/device.ts';
import { AsOf } from '../../ui/AsOf.tsx';
import { ago, formatDateTime } from '../../ui/relative-time.ts';
import { Sparkline } from '../../ui/Sparkline.tsx';

type Metric = 'cpuPercent' | 'memoryUsedPercent';
const METRICS: { key: Metric; label: string }[] = [
  { key: 'cpuPercent', label: 'CPU' },
  { key: 'memoryUsedPercent', label: 'Memory' },
];

const percent = (value: number | undefined) => (value === undefined ? '—' : `${Math.round(value)}%`);

function summaryOf(values: readonly number[]) {
  const latest = values.at(-1);
  const peak = values.length ? Math.max(...values) : undefined;
  const average = values.length ? values.reduce((sum, value) => sum + value, 0) / values.length : undefined;
  return { latest, peak, average };
}

/** The hourly roll-ups as two sparklines, each with its numbers in words beside it. */
export function DeviceTrend(props: { device: Device; now: number }) {
  const trend = () => props.device.trend;
  const hours = () => trend().length;
  const telemetry = () => props.device.telemetry;
  return (
    <section class="card" aria-labelledby="trend-title">
      <div class="card-head">
        <h2 id="trend-title">Load</h2>
        <Show when={telemetry()}>{(latest) => <AsOf at={latest().observedAt} now={props.now} />}</Show>
      </div>
      <Show when={telemetry()}>
        {(latest) => (
          <p class="device-telemetry">
            <Show when={latest().cpuPercent !== undefined}>
              <span>CPU {percent(latest().cpuPercent)}</span>
            </Show>
            <Show when={latest().memoryUsedPercent !== undefined}>
              <span>Memory {percent(latest().memoryUsedPercent)}</span>
            </Show>
            <Show when={latest().diskFreePercent !== undefined}>
              <span>Disk free {percent(latest().diskFreePercent)}</span>
            </Show>
          </p>
        )}
      </Show>
      <For each={METRICS}>
        {(metric) => {
          const values = () => trend().map((point) => point[metric.key]);
          const summary = () => summaryOf(values());
          const tone = () => ((summary().average ?? 0) >= 85 ? 'bad' : (summary().average ?? 0) >= 70 ? 'warn' : 'accent');
          const words = () => `last hour ${percent(summary().latest)}, peak ${percent(summary().peak)}, average ${percent(summary().average)}`;
          return (
            <div class="trend-row">
              <span class="trend-label">{metric.label}</span>
              <Sparkline values={values()} min={0} max={100} tone={tone()} label={`${metric.label} over the last ${hours()} hours: ${words()}`} />
              <span class="trend-summary muted">{words()}</span>
            </div>
          );
        }}
      </For>
      <Show when={trend().at(-1)}>
        {(last) => (
          <p class="muted small-print" title={formatDateTime(last().at)}>
            Hourly averages over {hours()} h; the latest hour as of {ago(last().at, props.now)}.
          </p>
        )}
      </Show>
    </section>
  );
}
