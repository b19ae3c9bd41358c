import { Hono } from 'hono';
import * as v from 'valibot';
import { Id } from '../../shared/schema/common.ts';
import type { AgentRegistry } from '../agents/agent-registry.ts';
import { recordAccountEvent } from '../auth/audit-events.ts';
import type { AppEnv } from '../http/app-env.ts';
import { clientAddress } from '../http/client-address.ts';
import { ApiError } from '../http/errors.ts';
import type { Store } from '../store/store.ts';
import { adminOrgIds } from './require-admin.ts';

/** Revoking a device's agent credential: a lost or retired machine stops reporting at once. */
export function adminAgentRoutes(store: Store, registry: AgentRegistry): Hono<AppEnv> {
  const routes = new Hono<AppEnv>();
  routes.delete('/:id/agent', async (c) => {
    const id = c.req.param('id');
    const agent = v.is(Id, id) ? await store.agents.get(id) : undefined;
    if (!agent || !adminOrgIds(c).includes(agent.orgId)) throw new ApiError(404, 'not_found', 'no enrolled agent on such a device in your organizations', 'id');
    await store.agents.revoke(agent.deviceId, Date.now());
    registry.forget(agent.deviceId);
    await recordAccountEvent(store, {
      actorKind: 'user', actorId: c.get('principal').id, action: 'agent_revoked', collection: 'devices', documentId: agent.deviceId,
      orgIds: [agent.orgId], clientAddress: clientAddress(c),
    });
    return c.body(null, 204);
  });
  return routes;
}
