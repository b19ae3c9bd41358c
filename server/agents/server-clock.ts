import type { AgentRecord } from '../../shared/agent/protocol.ts';
import type { TelemetryState } from './telemetry-pipeline.ts';

/**
 * How far ahead of the server's clock an observation may be dated and still be taken as dated:
 * clocks drift a little, and the agent's own clock_skew check reports the ones that drift more.
 */
export const MAX_OBSERVED_AHEAD_MS = 5 * 60_000;

/**
 * Observation times the telemetry pipeline can rely on: in UTC ISO form (it orders and compares
 * them as strings), and never far ahead of the server's clock. A single heartbeat dated 2099
 * would otherwise set the heartbeat watermark and the hour being summed in 2099, and every later
 * heartbeat would be taken for a re-send: the device's telemetry frozen. A time that far ahead is
 * taken as the moment the server received the record instead. (A clamped heartbeat sent again
 * after a lost answer is then counted twice: only for an agent whose clock is off by minutes,
 * which its clock_skew check already reports.)
 */
export function boundToServerClock(records: readonly AgentRecord[], nowMs: number): AgentRecord[] {
  const latestMs = nowMs + MAX_OBSERVED_AHEAD_MS;
  const bound = (timestamp: string): string => {
    const ms = Date.parse(timestamp);
    return new Date(ms > latestMs ? nowMs : ms).toISOString();
  };
  return records.map((record): AgentRecord => {
    switch (record.kind) {
      case 'heartbeat':
        return { ...record, observedAt: bound(record.observedAt), ...(record.rolledUp ? { rolledUp: { ...record.rolledUp, since: bound(record.rolledUp.since) } } : {}) };
      case 'inventory': {
        const { lastBootAt } = record.inventory;
        const inventory = { ...record.inventory, observedAt: bound(record.inventory.observedAt), ...(lastBootAt === undefined ? {} : { lastBootAt: bound(lastBootAt) }) };
        return { ...record, observedAt: bound(record.observedAt), inventory };
      }
      case 'check':
        return { ...record, observedAt: bound(record.observedAt) };
    }
  });
}

/**
 * A state saved before observation times were bounded may hold a watermark or an open hour in
 * the future: both are dropped, so the device's telemetry moves again (the future hour's sums
 * were one bogus heartbeat's).
 */
export function withoutFutureWatermark(state: TelemetryState, nowMs: number): TelemetryState {
  const latestMs = nowMs + MAX_OBSERVED_AHEAD_MS;
  const { lastHeartbeat, hour, ...rest } = state;
  const isWatermarkAhead = lastHeartbeat !== undefined && Date.parse(lastHeartbeat.observedAt) > latestMs;
  const isHourAhead = hour !== undefined && hour.start > latestMs;
  if (!isWatermarkAhead && !isHourAhead) return state;
  return {
    ...rest,
    ...(lastHeartbeat === undefined || isWatermarkAhead ? {} : { lastHeartbeat }),
    ...(hour === undefined || isHourAhead ? {} : { hour }),
  };
}
