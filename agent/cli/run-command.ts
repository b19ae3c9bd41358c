import type { Clock } from '../clock.ts';
import { systemClock } from '../clock.ts';
import type { SystemProbe } from '../collect/snapshot.ts';
import { systeminformationProbe } from '../collect/systeminformation-probe.ts';
import { deliverPending, describeOutcome, type DeliveryDeps } from '../delivery/deliver.ts';
import { httpIngestClient } from '../delivery/ingest-client.ts';
import { Outbox } from '../outbox/outbox.ts';
import { runLoop, sleep } from '../run/agent-loop.ts';
import { describeCycle, runCycle, type CycleDeps } from '../run/cycle.ts';
import { consoleLogger, type Logger } from '../run/logger.ts';
import { ensureStateDir, readCredentials } from '../state/credentials.ts';
import { databasePath, openAgentDatabase } from '../state/database.ts';
import { AgentMemory } from '../state/memory.ts';
import { acquireRunLock } from '../state/run-lock.ts';
import { AGENT_VERSION } from '../version.ts';
import type { Command } from './args.ts';
import { notEnrolledError } from './status-command.ts';

export interface RunDeps {
  out: (line: string) => void;
  probe?: SystemProbe;
  clock?: Clock;
  fetch?: typeof fetch;
  log?: Logger;
  /** Stops the long-running loop; defaults to SIGTERM/SIGINT. */
  signal?: AbortSignal;
}

/**
 * `run --once` collects, delivers what it can and exits: 0 when everything is delivered or
 * safely queued, 1 when the server refuses this device's credential (retrying cannot help).
 * `run` loops until SIGTERM/SIGINT, finishes the delivery in flight, and exits 0.
 */
export async function runCommand(command: Extract<Command, { name: 'run' }>, deps: RunDeps): Promise<number> {
  const credentials = readCredentials(command.stateDir);
  if (!credentials) throw notEnrolledError(command.stateDir);
  ensureStateDir(command.stateDir);
  const lock = acquireRunLock(command.stateDir);
  const db = openAgentDatabase(databasePath(command.stateDir));
  try {
    const clock = deps.clock ?? systemClock;
    const outbox = new Outbox(db);
    const memory = new AgentMemory(db);
    const probe = deps.probe ?? systeminformationProbe();
    const client = httpIngestClient({
      server: credentials.server,
      deviceId: credentials.deviceId,
      deviceSecret: credentials.deviceSecret,
      clock,
      // Shorter than systemd's 30 s stop timeout, so a stop waits out a hung request cleanly.
      timeoutMs: 20_000,
      ...(deps.fetch ? { fetch: deps.fetch } : {}),
    });
    const startedAtMs = clock.now();
    const cycleDeps = (deliveringSinceMs: number): CycleDeps => ({ probe, clock, db, outbox, memory, deliveringSinceMs });
    const deliveryDeps = (shouldStop?: () => boolean): DeliveryDeps => ({
      outbox, memory, client, clock, agentVersion: AGENT_VERSION, ...(shouldStop ? { shouldStop } : {}),
    });

    if (command.once) {
      deps.out(describeCycle(await runCycle(cycleDeps(startedAtMs))));
      const outcome = await deliverPending(deliveryDeps());
      deps.out(describeOutcome(outcome));
      return outcome.failure?.kind === 'credential_refused' ? 1 : 0;
    }

    const log = deps.log ?? consoleLogger(() => clock.now());
    const stop = deps.signal ? { signal: deps.signal, dispose: () => undefined } : stopOnSignals(log);
    log.info(`outpost-agent ${AGENT_VERSION}: device ${credentials.deviceId} reporting to ${credentials.server} every ${command.intervalSeconds} s (state: ${command.stateDir})`);
    try {
      await runLoop({
        intervalMs: command.intervalSeconds * 1000,
        clock,
        cycle: (since) => runCycle(cycleDeps(since)),
        deliver: (shouldStop) => deliverPending(deliveryDeps(shouldStop)),
        sleep,
        signal: stop.signal,
        log,
      });
    } finally {
      stop.dispose();
    }
    log.info(`stopped; ${outbox.depth().total} records wait in the outbox for the next start`);
    return 0;
  } finally {
    db.close();
    lock.release();
  }
}

/** First signal: finish the delivery in flight, then exit. Second: exit now (the outbox is safe). */
function stopOnSignals(log: Logger): { signal: AbortSignal; dispose: () => void } {
  const controller = new AbortController();
  const onSignal = (name: NodeJS.Signals) => {
    if (controller.signal.aborted) {
      log.warn(`${name} again: exiting without waiting`);
      process.exit(130);
    }
    log.info(`${name}: finishing the current delivery, then stopping`);
    controller.abort();
  };
  process.on('SIGTERM', onSignal);
  process.on('SIGINT', onSignal);
  return {
    signal: controller.signal,
    dispose: () => {
      process.off('SIGTERM', onSignal);
      process.off('SIGINT', onSignal);
    },
  };
}
