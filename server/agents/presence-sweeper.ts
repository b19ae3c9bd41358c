import type { Device } from '../../shared/schema/device.ts';
import { defaultLogger, type Logger } from '../observability/logger.ts';
import type { Store } from '../store/store.ts';
import { agentPrincipal } from './agent-auth.ts';
import { AgentWriteRefused, DeviceWriteBusy, patchDevice } from './document-writer.ts';

export interface PresenceOptions {
  offlineAfterMs: number;
  staleAfterMs: number;
  /** Delivered record ids are remembered this long for de-duplication. */
  rememberRecordsMs?: number;
  /** Where a failed sweep is reported. */
  logger?: Logger;
}

/**
 * Heartbeats only move `lastSeenAt` in server state; this turns silence into the status people
 * see: offline after a few missed heartbeats, stale after much longer.
 */
export async function sweepPresence(store: Store, options: PresenceOptions, now = Date.now()): Promise<number> {
  let changed = 0;
  for (const agent of await store.agents.listSeenBefore(now - options.offlineAfterMs)) {
    const [document] = await store.getMany('devices', [agent.deviceId]);
    if (!document || document._deleted) continue;
    const device = document as unknown as Device;
    const silentMs = now - (agent.lastSeenAt ?? now);
    const next: Device['status'] | undefined =
      device.status === 'retired' ? undefined : silentMs >= options.staleAfterMs ? 'stale' : 'offline';
    if (!next || next === device.status || (next === 'offline' && device.status === 'stale')) continue;
    const at = new Date(now).toISOString();
    try {
      await patchDevice(store, agentPrincipal(agent, device), agent.deviceId, { status: next, statusObservedAt: at, updatedAt: at });
      changed++;
    } catch (error) {
      // One device's refusal must not stop the sweep for every device after it.
      if (!(error instanceof AgentWriteRefused || error instanceof DeviceWriteBusy)) throw error;
      (options.logger ?? defaultLogger()).warn({ deviceId: agent.deviceId, err: error }, 'presence sweep skipped a device');
    }
  }
  await store.agents.forgetRecordsBefore(now - (options.rememberRecordsMs ?? 30 * 24 * 3_600_000));
  return changed;
}

export function startPresenceSweeper(store: Store, options: PresenceOptions, everyMs = 30_000): () => void {
  const timer = setInterval(() => {
    sweepPresence(store, options).catch((error: unknown) => (options.logger ?? defaultLogger()).error({ err: error }, 'presence sweep failed'));
  }, everyMs);
  timer.unref();
  return () => clearInterval(timer);
}
