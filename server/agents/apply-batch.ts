import type { AgentRecord } from '../../shared/agent/protocol.ts';
import type { Device } from '../../shared/schema/device.ts';
import type { Principal } from '../auth/principal.ts';
import { ApiError } from '../http/errors.ts';
import type { Store } from '../store/store.ts';
import { assertNotRevoked } from './agent-auth.ts';
import type { AgentEntry, AgentRegistry } from './agent-registry.ts';
import { AgentWriteRefused, DeviceWriteBusy, patchDevice, writeAlerts } from './document-writer.ts';
import { boundToServerClock, withoutFutureWatermark } from './server-clock.ts';
import { applyRecords, type PipelineResult } from './telemetry-pipeline.ts';

const MAX_ATTEMPTS = 5;

/**
 * Applies an agent's new records to its telemetry state (the caller holds the device's ingest
 * lock). Heartbeats that change no document stay in memory, flushed within a second; anything
 * that writes a document or carries an inventory or check is decided on the durable state and
 * saved before the answer. When another instance saved this device's state in between (its own
 * heartbeat flush, say), the save is refused and the batch is decided again on that state: the
 * document writes are idempotent (patches re-applied to the master, alert ids derived from the
 * records), so nothing is written twice and no transition is lost.
 *
 * Every refusal is an ApiError the agent acts on: 403 (revoked), 422 device_write_refused (it
 * sets the records aside), 503 device_state_busy (it sends them again).
 */
export async function applyBatch(
  store: Store,
  registry: AgentRegistry,
  entry: AgentEntry,
  device: Device,
  principal: Principal,
  received: readonly AgentRecord[],
  nowMs: number = Date.now(),
): Promise<void> {
  const records = boundToServerClock(received, nowMs);
  const changedRecordIds = records.filter((r) => r.kind !== 'heartbeat').map((r) => r.id);
  const decide = (current: Device): PipelineResult => applyRecords({ state: withoutFutureWatermark(entry.state, nowMs), device: current, records });
  // Once patched, a new attempt decides against the patched device, so it patches nothing twice.
  let current = device;
  for (let attempt = 1; attempt <= MAX_ATTEMPTS; attempt++) {
    if (entry.isStale) await registry.reload(entry);
    let result = decide(current);
    if (!result.devicePatch && result.alerts.length === 0 && changedRecordIds.length === 0) {
      registry.markApplied(entry, result.state, []);
      return;
    }
    if (await registry.reload(entry)) result = decide(current);
    assertNotRevoked(entry.agent);
    try {
      if (result.devicePatch) current = (await patchDevice(store, principal, device.id, result.devicePatch)) ?? current;
      if (result.alerts.length > 0) await writeAlerts(store, principal, current, result.alerts);
    } catch (error) {
      if (error instanceof AgentWriteRefused) throw new ApiError(422, 'device_write_refused', `${error.message}: these records cannot be applied`, 'body.records');
      if (error instanceof DeviceWriteBusy) throw deviceStateBusy();
      throw error;
    }
    registry.markApplied(entry, result.state, changedRecordIds);
    await registry.flush();
    if (!entry.isStale) return;
  }
  throw deviceStateBusy();
}

const deviceStateBusy = () => new ApiError(503, 'device_state_busy', "this device's state kept changing: send the batch again");
