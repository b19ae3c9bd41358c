import { Hono, type Context } from 'hono';
import { EnrollRequest, INGEST_MAX_BYTES, IngestBatch, type EnrollResponse, type IngestResponse } from '../../shared/agent/protocol.ts';
import { uuidv7 } from '../../shared/id/uuidv7.ts';
import type { Device } from '../../shared/schema/device.ts';
import { recordAccountEvent } from '../auth/audit-events.ts';
import { SYSTEM_PRINCIPAL } from '../auth/principal.ts';
import { hashToken, newSecretToken } from '../auth/tokens.ts';
import type { AppEnv } from '../http/app-env.ts';
import { clientAddress } from '../http/client-address.ts';
import { ApiError, parseInput } from '../http/errors.ts';
import type { BodyBudget } from '../http/body-budget.ts';
import { limitBody } from '../http/limit-body.ts';
import { readJsonBody } from '../http/json-body.ts';
import type { ServerMetrics } from '../observability/metrics.ts';
import type { EnrollmentTokenRecord } from '../store/accounts.ts';
import type { Store, StoredDocument } from '../store/store.ts';
import { authenticateAgent } from './agent-auth.ts';
import type { AgentRegistry } from './agent-registry.ts';
import { EnrollmentThrottle } from './enrollment-throttle.ts';
import { applyBatch } from './apply-batch.ts';
import type { TelemetryState } from './telemetry-pipeline.ts';

/** Why a known token cannot enroll now, or undefined. Messages are printed by the agent's CLI as they are. */
function unusableTokenError(token: EnrollmentTokenRecord, now: number): ApiError | undefined {
  if (token.revokedAt !== undefined) return new ApiError(410, 'token_revoked', 'enrollment token was revoked: ask an admin for a new one', 'body.token');
  if (token.expiresAt <= now) return new ApiError(410, 'token_expired', 'enrollment token expired: ask an admin for a new one', 'body.token');
  if (token.maxUses !== undefined && token.uses >= token.maxUses) {
    return new ApiError(410, 'token_used_up', `enrollment token was used its ${token.maxUses} time${token.maxUses === 1 ? '' : 's'}: ask an admin for a new one`, 'body.token');
  }
  return undefined;
}

function tooManyEnrollments(c: Context<AppEnv>, what: string, retryAfterSeconds: number): ApiError {
  c.header('Retry-After', String(retryAfterSeconds));
  return new ApiError(429, 'too_many_attempts', `too many ${what}: try again in ${retryAfterSeconds} s`);
}

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

export function agentRoutes(store: Store, registry: AgentRegistry, metrics?: ServerMetrics, bodyBudget?: BodyBudget): Hono<AppEnv> {
  const routes = new Hono<AppEnv>();
  const ingestLock = new KeyedMutex();
  const throttle = new EnrollmentThrottle(store.throttle);

  routes.post('/enroll', limitBody(16 * 1024, 'an enrollment request must be at most 16 KiB'), async (c) => {
    const address = clientAddress(c);
    const body = parseInput('body', EnrollRequest, await readJsonBody(c));
    const token = await store.enrollmentTokens.findByHash(hashToken(body.token));
    const [site] = token ? await store.getMany('sites', [token.siteId]) : [];
    const refusal = !token
      ? new ApiError(401, 'token_invalid', 'enrollment token is not valid: check it, or ask an admin for a new one', 'body.token')
      : unusableTokenError(token, Date.now()) ?? (!site || site._deleted ? new ApiError(410, 'site_removed', 'the site of this enrollment token no longer exists', 'body.token') : undefined);
    if (!token || refusal) {
      // Counted per address, capped per minute: a good token is never held up by these.
      const counted = await throttle.refusal(address);
      if (!counted.isAdmitted) throw tooManyEnrollments(c, 'failed enrollments from this address', counted.retryAfterSeconds);
      throw refusal;
    }
    const admission = await throttle.enrollment(token.id);
    if (!admission.isAdmitted) throw tooManyEnrollments(c, 'enrollments with this token', admission.retryAfterSeconds);
    // Claimed before the device exists: parallel enrollments never exceed the token's limit.
    if (!(await store.enrollmentTokens.claimUse(token.id, Date.now()))) {
      const latest = await store.enrollmentTokens.get(token.id);
      throw (latest && unusableTokenError(latest, Date.now())) ?? new ApiError(410, 'token_used_up', 'enrollment token cannot be used any more: ask an admin for a new one', 'body.token');
    }

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
    await recordAccountEvent(store, {
      actorKind: 'agent', actorId: deviceId, action: 'agent_enrolled', collection: 'devices', documentId: deviceId,
      orgIds: [token.orgId], clientAddress: address, detail: { enrollmentTokenId: token.id, hostname: body.hostname },
    });
    // uses: the claim above (this one included), for the administrator's list and the audit.
    const response: EnrollResponse = { deviceId, deviceSecret: secret, orgId: token.orgId, siteId: token.siteId, serverTime: now.toISOString() };
    return c.json(response, 201);
  });

  routes.post(
    '/ingest',
    authenticateAgent(registry),
    limitBody(INGEST_MAX_BYTES, `an ingest batch must be at most ${INGEST_MAX_BYTES} bytes: send smaller batches`, bodyBudget),
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
