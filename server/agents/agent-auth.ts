import type { MiddlewareHandler } from 'hono';
import * as v from 'valibot';
import { Id } from '../../shared/schema/common.ts';
import type { Device } from '../../shared/schema/device.ts';
import type { Principal } from '../auth/principal.ts';
import type { AppEnv } from '../http/app-env.ts';
import { ApiError } from '../http/errors.ts';
import type { AgentDeviceRecord } from '../store/agents.ts';
import type { AgentRegistry } from './agent-registry.ts';

/**
 * An agent acts for its device, at the site the device is now (a technician may have moved it
 * since enrollment); what it may write is decided by ownership (document-writer), not by site.
 */
export function agentPrincipal(agent: AgentDeviceRecord, device?: Pick<Device, 'siteId'>): Principal {
  return { kind: 'agent', id: agent.deviceId, scope: { kind: 'orgs', orgs: [{ orgId: agent.orgId, siteIds: [device?.siteId ?? agent.siteId] }] } };
}

export function assertNotRevoked(device: AgentDeviceRecord): void {
  if (device.revokedAt !== undefined) throw new ApiError(403, 'agent_revoked', 'this device was revoked by an administrator');
}

const BEARER = /^Bearer ([0-9a-f-]{36})\.([A-Za-z0-9_-]{20,100})$/;

/**
 * `Authorization: Bearer <deviceId>.<secret>`. The device an agent writes is the one its
 * credential names, never one taken from the body or the path.
 */
export function authenticateAgent(registry: AgentRegistry): MiddlewareHandler<AppEnv> {
  return async (c, next) => {
    const match = BEARER.exec(c.req.header('authorization') ?? '');
    const deviceId = match?.[1];
    const secret = match?.[2];
    const entry = deviceId && secret && v.is(Id, deviceId) ? await registry.authenticate(deviceId, secret) : undefined;
    if (!entry) throw new ApiError(401, 'agent_unauthenticated', 'the device credential is not valid: enroll this agent again');
    assertNotRevoked(entry.agent);
    c.set('agentDevice', entry.agent);
    c.set('principal', agentPrincipal(entry.agent, entry.device));
    await next();
  };
}
