import { responseTimesOf, type ResponseTime } from '../../../shared/incident/response-times.ts';
import type { Incident } from '../../../shared/schema/incident.ts';
import { formatDuration } from '../../ui/duration.ts';

export interface ResponseTimeText {
  text: string;
  /** The clock still runs: nobody has acknowledged (or resolved) it yet. */
  isRunning: boolean;
}

const inWords = (time: ResponseTime, running: string, stopped: string): ResponseTimeText => ({
  text: `${time.isRunning ? running : stopped} ${formatDuration(time.milliseconds)}`,
  isRunning: time.isRunning,
});

/** Time to acknowledge and to resolve in words; a clock still running says so. */
export function responseTimeText(incident: Incident, now: number): { acknowledge: ResponseTimeText; resolve: ResponseTimeText } {
  const { toAcknowledge, toResolve } = responseTimesOf(incident, now);
  return {
    acknowledge: inWords(toAcknowledge, 'not acknowledged for', 'acknowledged in'),
    resolve: inWords(toResolve, 'open for', 'resolved in'),
  };
}
