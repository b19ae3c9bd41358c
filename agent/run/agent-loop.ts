import type { Clock } from '../clock.ts';
import { DEFAULT_BACKOFF, backoffDelayMs, type BackoffPolicy } from '../delivery/backoff.ts';
import { describeOutcome, type DeliveryOutcome } from '../delivery/deliver.ts';
import { describeCycle, type CycleReport } from './cycle.ts';
import type { Logger } from './logger.ts';

export interface LoopDeps {
  intervalMs: number;
  clock: Clock;
  /** Collect, check and enqueue; `deliveringSinceMs` is when silence toward the server began to count. */
  cycle: (deliveringSinceMs: number) => Promise<CycleReport>;
  deliver: (shouldStop: () => boolean) => Promise<DeliveryOutcome>;
  /** Resolves after `ms`, or at once when `signal` aborts. */
  sleep: (ms: number, signal: AbortSignal) => Promise<void>;
  signal: AbortSignal;
  log: Logger;
  backoff?: BackoffPolicy;
  random?: () => number;
}

/** A gap this much longer than the interval means the machine slept, not that delivery failed. */
const RESUME_FACTOR = 3;

/**
 * Collects every interval and delivers after each collection. After a failed delivery it
 * retries on its own schedule (exponential backoff with full jitter), while collection goes
 * on writing to the outbox. Returns when `signal` aborts, after the delivery in flight.
 */
export async function runLoop(deps: LoopDeps): Promise<void> {
  const { clock, signal, log } = deps;
  const stopRequested = () => signal.aborted;
  let nextCycleAt = clock.now();
  let nextDeliveryAt = nextCycleAt;
  let lastCycleAt: number | undefined;
  let deliveringSinceMs = clock.now();
  let failures = 0;
  let lastFailureMessage: string | undefined;

  while (!signal.aborted) {
    if (clock.now() >= nextCycleAt) {
      const now = clock.now();
      if (lastCycleAt !== undefined && now - lastCycleAt > RESUME_FACTOR * deps.intervalMs) deliveringSinceMs = now;
      lastCycleAt = now;
      try {
        const report = await deps.cycle(deliveringSinceMs);
        if (report.inventory !== 'unchanged' || report.transitions.length > 0) log.info(describeCycle(report));
      } catch (error) {
        log.warn(`collection failed: ${(error as Error).message}`);
      }
      // Keep the cadence, but never try to catch up on intervals missed while asleep.
      nextCycleAt += deps.intervalMs;
      if (nextCycleAt <= clock.now()) nextCycleAt = clock.now() + deps.intervalMs;
    }
    if (signal.aborted) break;

    if (clock.now() >= nextDeliveryAt) {
      const outcome = await deps.deliver(stopRequested);
      // Each on its own line, so a person can tell which observations never reached the server.
      for (const record of outcome.dropped) log.warn(`dropped record ${record.id} from the outbox: ${record.reason}`);
      if (outcome.failure) {
        failures += 1;
        const delayMs = backoffDelayMs(failures, deps.backoff ?? DEFAULT_BACKOFF, deps.random);
        nextDeliveryAt = clock.now() + delayMs;
        // One line per distinct problem; the status command shows the latest at any time.
        if (outcome.failure.message !== lastFailureMessage) log.warn(`${describeOutcome(outcome)}; retrying with backoff`);
        lastFailureMessage = outcome.failure.message;
      } else {
        if (failures > 0) log.info(`delivery recovered after ${failures} failed attempt${failures === 1 ? '' : 's'}: ${describeOutcome(outcome)}`);
        failures = 0;
        lastFailureMessage = undefined;
        nextDeliveryAt = nextCycleAt;
      }
    }
    if (signal.aborted) break;
    await deps.sleep(Math.max(0, Math.min(nextCycleAt, nextDeliveryAt) - clock.now()), signal);
  }
}

/** setTimeout that an AbortSignal cuts short. */
export function sleep(ms: number, signal: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    if (signal.aborted) return resolve();
    const onAbort = () => {
      clearTimeout(timer);
      resolve();
    };
    const timer = setTimeout(() => {
      signal.removeEventListener('abort', onAbort);
      resolve();
    }, ms);
    signal.addEventListener('abort', onAbort, { once: true });
  });
}
