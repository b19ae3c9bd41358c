import { timingSafeEqual } from 'node:crypto';
import type { MiddlewareHandler } from 'hono';
import * as v from 'valibot';
import { Id } from '../../shared/schema/common.ts';
import type { Principal } from '../auth/principal.ts';
import { hashToken } from '../auth/tokens.ts';
import type { AppEnv } from '../http/app-env.ts';
import { ApiError } from '../http/errors.ts';
import type { AgentDeviceRecord } from '../store/agents.ts';
import type { Store } from '../store/store.ts';

export function agentPrincipal(device: AgentDeviceRecord): Principal {
  return { kind: 'agent', id: device.deviceId, scope: { kind: 'orgs', orgs: [{ orgId: device.orgId, siteIds: [device.siteId] }] } };
}

const sameHash = (a: string, b: string) => a.length === b.length && timingSafeEqual(Buffer.from(a), Buffer.from(b));

/**
 * `Authorization: Bearer <deviceId>.<secret>`. The device an agent writes is the one its
 * credential names, never one taken from the body or the path.
 */
export function authenticateAgent(store: Store): MiddlewareHandler<AppEnv> {
  return async (c, next) => {
    const header = c.req.header('authorization') ?? '';
    const match = /^Bearer ([0-9a-f-]{36})\.([A-Za-z0-9_-]{20,100})$/.exec(header);
    const deviceId = match?.[1];
    const secret = match?.[2];
    const device = deviceId && v.is(Id, deviceId) ? await store.agents.get(deviceId) : undefined;
    if (!device || !secret || !sameHash(device.secretHash, hashToken(secret))) {
      throw new ApiError(401, 'agent_unauthenticated', 'the device credential is not valid: enroll this agent again');
    }
    if (device.revokedAt !== undefined) throw new ApiError(403, 'agent_revoked', 'this device was revoked by an administrator');
    c.set('agentDevice', device);
    c.set('principal', agentPrincipal(device));
    await next();
  };
}
