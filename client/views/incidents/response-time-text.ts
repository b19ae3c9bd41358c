import { responseTimesOf } from '../../../shared/incident/response-times.ts';
import type { Incident } from '../../../shared/schema/incident.ts';
import { formatDuration } from '../../ui/duration.ts';

/** Time to acknowledge and to resolve in words; a clock still running says so. */
export function responseTimeText(incident: Incident, now: number): { acknowledge: string; resolve: string } {
  const { toAcknowledge, toResolve } = responseTimesOf(incident, now);
  return {
    acknowledge: toAcknowledge.isRunning ? `not acknowledged for ${formatDuration(toAcknowledge.milliseconds)}` : `acknowledged in ${formatDuration(toAcknowledge.milliseconds)}`,
    resolve: toResolve.isRunning ? `open for ${formatDuration(toResolve.milliseconds)}` : `resolved in ${formatDuration(toResolve.milliseconds)}`,
  };
}
