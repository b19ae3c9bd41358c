import { existsSync } from 'node:fs';
import { DELIVERY_MEMORY_KEY, DeliveryMemory } from '../delivery/deliver.ts';
import { AgentError } from '../errors.ts';
import { formatDuration } from '../format.ts';
import { Outbox, type OutboxDepth } from '../outbox/outbox.ts';
import { readCredentials } from '../state/credentials.ts';
import { databasePath, openAgentDatabase } from '../state/database.ts';
import { AgentMemory } from '../state/memory.ts';
import type { Command } from './args.ts';

export interface StatusDeps {
  out: (line: string) => void;
  now?: () => number;
}

export function notEnrolledError(stateDir: string): AgentError {
  return new AgentError(`not enrolled (no credentials in ${stateDir}): run outpost-agent enroll --server URL --token TOKEN --state-dir ${stateDir}`);
}

/** Read-only: safe while `run` is working on the same state dir. */
export function statusCommand(command: Extract<Command, { name: 'status' }>, deps: StatusDeps): number {
  const credentials = readCredentials(command.stateDir);
  if (!credentials) throw notEnrolledError(command.stateDir);
  const now = (deps.now ?? Date.now)();

  let delivery: DeliveryMemory = {};
  let depth: OutboxDepth | undefined;
  const path = databasePath(command.stateDir);
  if (existsSync(path)) {
    const db = openAgentDatabase(path, { mustExist: true });
    try {
      delivery = new AgentMemory(db).read(DELIVERY_MEMORY_KEY, DeliveryMemory, {});
      depth = new Outbox(db).depth();
    } finally {
      db.close();
    }
  }

  const when = (ms: number | undefined) => (ms === undefined ? 'never' : `${new Date(ms).toISOString()} (${formatDuration(now - ms)} ago)`);
  const lines: Array<[string, string]> = [
    ['enrolled to', credentials.server],
    ['device', credentials.deviceId],
    ['organization', credentials.orgId],
    ['site', credentials.siteId],
    ['enrolled at', credentials.enrolledAt],
    ['last delivery', delivery.lastAttemptAtMs === undefined ? 'never' : `${when(delivery.lastAttemptAtMs)}: ${delivery.lastResult?.ok ? 'ok' : 'failed'}: ${delivery.lastResult?.message ?? ''}`],
    ['last success', when(delivery.lastSuccessAtMs)],
    ['outbox', depth ? describeDepth(depth) : 'empty (the agent has not run yet)'],
    ['clock skew', delivery.clockSkewMs === undefined ? 'not measured yet' : `${describeSkew(delivery.clockSkewMs)} (measured ${when(delivery.clockSkewMeasuredAtMs)})`],
    ['state dir', command.stateDir],
  ];
  const width = Math.max(...lines.map(([label]) => label.length)) + 2;
  for (const [label, value] of lines) deps.out(`${`${label}:`.padEnd(width)}${value}`);
  return 0;
}

function describeDepth(depth: OutboxDepth): string {
  if (depth.total === 0) return '0 records waiting';
  const parts = [`${depth.heartbeat} heartbeat`, `${depth.inventory} inventory`, `${depth.check} check`].filter((part) => !part.startsWith('0 '));
  return `${depth.total} record${depth.total === 1 ? '' : 's'} waiting (${parts.join(', ')})`;
}

function describeSkew(skewMs: number): string {
  if (Math.abs(skewMs) < 1_000) return 'within a second of the server';
  return `${formatDuration(skewMs)} ${skewMs > 0 ? 'ahead of' : 'behind'} the server`;
}
