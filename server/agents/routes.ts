import { Hono } from 'hono';
import { EnrollRequest, INGEST_MAX_BYTES, IngestBatch, type EnrollResponse, type IngestResponse } from '../../shared/agent/protocol.ts';
import { uuidv7 } from '../../shared/id/uuidv7.ts';
import type { Device } from '../../shared/schema/device.ts';
import { recordAccountEvent } from '../auth/audit-events.ts';
import { FORGET_FAILURES_AFTER_MS, growingLock } from '../auth/login-throttle.ts';
import { SYSTEM_PRINCIPAL } from '../auth/principal.ts';
import { hashToken, newSecretToken } from '../auth/tokens.ts';
import type { AppEnv } from '../http/app-env.ts';
import { clientAddress } from '../http/client-address.ts';
import { ApiError, parseInput } from '../http/errors.ts';
import { limitBody } from '../http/limit-body.ts';
import { readJsonBody } from '../http/json-body.ts';
import type { ServerMetrics } from '../observability/metrics.ts';
import type { Store, StoredDocument } from '../store/store.ts';
import { authenticateAgent } from './agent-auth.ts';
import type { AgentRegistry } from './agent-registry.ts';
import { applyBatch } from './apply-batch.ts';
import type { TelemetryState } from './telemetry-pipeline.ts';

const ENROLL_FREE_FAILURES = 10;

/** One ingest at a time per device: its telemetry state is read, advanced and saved. */
class KeyedMutex {
  readonly #tails = new Map<string, Promise<unknown>>();
  async run<T>(key: string, task: () => Promise<T>): Promise<T> {
    const previous = this.#tails.get(key) ?? Promise.resolve();
    const current = previous.then(task, task);
    const tail = current.catch(() => undefined);
    this.#tails.set(key, tail);
    try {
      return await current;
    } finally {
      if (this.#tails.get(key) === tail) this.#tails.delete(key);
    }
  }
}

export function agentRoutes(store: Store, registry: AgentRegistry, metrics?: ServerMetrics): Hono<AppEnv> {
  const routes = new Hono<AppEnv>();
  const ingestLock = new KeyedMutex();

  routes.post('/enroll', limitBody(16 * 1024, 'an enrollment request must be at most 16 KiB'), async (c) => {
    const address = clientAddress(c);
    const throttleKey = `enroll:${address}`;
    const throttle = await store.throttle.get(throttleKey);
    if (throttle && throttle.lockedUntil > Date.now()) {
      const retryAfter = Math.ceil((throttle.lockedUntil - Date.now()) / 1000);
      c.header('Retry-After', String(retryAfter));
      throw new ApiError(429, 'too_many_attempts', `too many failed enrollments: try again in ${retryAfter} s`);
    }
    const body = parseInput('body', EnrollRequest, await readJsonBody(c));
    const token = await store.enrollmentTokens.findByHash(hashToken(body.token));
    const refuse = async (status: 401 | 410, code: string, message: string) => {
      await store.throttle.recordFailure(throttleKey, Date.now(), growingLock(ENROLL_FREE_FAILURES), FORGET_FAILURES_AFTER_MS);
      throw new ApiError(status, code, message, 'body.token');
    };
    if (!token) return refuse(401, 'token_invalid', 'enrollment token is not valid: check it, or ask an admin for a new one');
    if (token.revokedAt !== undefined) return refuse(410, 'token_revoked', 'enrollment token was revoked: ask an admin for a new one');
    if (token.expiresAt <= Date.now()) return refuse(410, 'token_expired', 'enrollment token expired: ask an admin for a new one');
    const [site] = await store.getMany('sites', [token.siteId]);
    if (!site || site._deleted) return refuse(410, 'site_removed', 'the site of this enrollment token no longer exists');

    const now = new Date();
    const deviceId = uuidv7();
    const secret = newSecretToken();
    const device: Device = {
      id: deviceId,
      orgId: token.orgId,
      siteId: token.siteId,
      hostname: body.hostname,
      kind: body.deviceKind ?? 'workstation',
      ips: [],
      macs: [],
      tags: [],
      trend: [],
      status: 'online',
      statusObservedAt: now.toISOString(),
      health: 'ok',
      healthReasons: [],
      updatedAt: now.toISOString(),
    };
    await store.agents.create({
      deviceId,
      orgId: token.orgId,
      siteId: token.siteId,
      secretHash: hashToken(secret),
      enrollmentTokenId: token.id,
      enrolledAt: now.getTime(),
      revokedAt: undefined,
      lastSeenAt: now.getTime(),
      telemetryState: { checks: {} } satisfies TelemetryState,
    });
    await store.push(SYSTEM_PRINCIPAL, 'devices', [{ newDocumentState: { ...device, _deleted: false } as StoredDocument }], { clientAddress: address });
    await store.enrollmentTokens.recordUse(token.id);
    await recordAccountEvent(store, {
      actorKind: 'agent', actorId: deviceId, action: 'agent_enrolled', collection: 'devices', documentId: deviceId,
      orgIds: [token.orgId], clientAddress: address, detail: { enrollmentTokenId: token.id, hostname: body.hostname },
    });
    const response: EnrollResponse = { deviceId, deviceSecret: secret, orgId: token.orgId, siteId: token.siteId, serverTime: now.toISOString() };
    return c.json(response, 201);
  });

  routes.post(
    '/ingest',
    authenticateAgent(registry),
    limitBody(INGEST_MAX_BYTES, `an ingest batch must be at most ${INGEST_MAX_BYTES} bytes: send smaller batches`),
    async (c) => {
      const batch = parseInput('body', IngestBatch, await readJsonBody(c));
      const agent = c.get('agentDevice');
      const principal = c.get('principal');
      await ingestLock.run(agent.deviceId, async () => {
        const entry = await registry.entry(agent.deviceId);
        const current = entry?.device;
        if (!entry || !current) throw new ApiError(410, 'device_removed', 'this device was removed from Outpost: enroll the agent again');
        // Heartbeats are de-duplicated by the pipeline's watermark (no id bookkeeping on the
        // hottest path); records that change documents by id: ids applied in the last second
        // are still in memory, older ones in the durable list of applied ids.
        const heartbeats = batch.records.filter((r) => r.kind === 'heartbeat');
        const candidates = batch.records.filter((r) => r.kind !== 'heartbeat' && !entry.recentRecordIds.has(r.id));
        const unseenIds = candidates.length > 0 ? await store.agents.unseenRecordIds(candidates.map((r) => r.id)) : new Set<string>();
        const records = [...heartbeats, ...candidates.filter((r) => unseenIds.has(r.id))];
        await applyBatch(store, registry, entry, current, principal, records);
        metrics?.agentIngestBatches.inc();
        metrics?.agentHeartbeats.inc(heartbeats.length);
      });
      const response: IngestResponse = { accepted: batch.records.map((r) => r.id), serverTime: new Date().toISOString() };
      return c.json(response);
    },
  );

  return routes;
}
