import { Hono, type Context } from 'hono';
import type { Sessions } from '../auth/sessions.ts';
import { sessionEvents } from '../http/session-events.ts';
import * as v from 'valibot';
import { COLLECTIONS } from '../../shared/schema/collections.ts';
import { Id } from '../../shared/schema/common.ts';
import { COLLAB_FIELDS, type CollabParentCollection } from '../../shared/schema/doc-update.ts';
import type { AppEnv } from '../http/app-env.ts';
import { ApiError, parseInput } from '../http/errors.ts';
import { readJsonBody } from '../http/json-body.ts';
import { isInScope } from '../store/scope.ts';
import type { Store } from '../store/store.ts';
import { readScope } from '../sync/authorization.ts';
import { AWARENESS_MAX_BYTES, AwarenessRejected, stampAwarenessUpdate, type AwarenessHub } from './awareness-hub.ts';

const Target = v.strictObject({
  collection: v.picklist(Object.keys(COLLAB_FIELDS) as CollabParentCollection[], 'must be runbooks or incidents'),
  id: Id,
});
const AwarenessBody = v.strictObject({
  update: v.pipe(v.string(), v.maxLength(Math.ceil((AWARENESS_MAX_BYTES * 4) / 3) + 4), v.base64('must be base64')),
});

export interface AwarenessRouteOptions {
  heartbeatSeconds: number;
  /** Other editors' names and cursors stop when the session behind the stream ends. */
  sessions: Sessions;
  shutdown?: AbortSignal;
}

/** The text's room key, after checking the signed-in user may read the document it belongs to. */
async function authorizedRoom(store: Store, c: Context<AppEnv>): Promise<string> {
  const target = parseInput('path', Target, { collection: c.req.param('collection'), id: c.req.param('id') });
  const [parent] = await store.getMany(target.collection, [target.id]);
  const scope = readScope(c.get('principal'), target.collection);
  const siteId = COLLECTIONS[target.collection].isSiteScoped && typeof parent?.siteId === 'string' ? parent.siteId : undefined;
  // Absent and out of reach answer the same, so ids cannot be probed.
  if (!parent || parent._deleted || !isInScope(scope, parent.orgId, siteId)) throw new ApiError(404, 'not_found', `no ${target.collection} document ${target.id}`);
  return `${target.collection}/${target.id}/${COLLAB_FIELDS[target.collection]}`;
}

/**
 * Who else is editing a collaborative text, and where their cursors are: Yjs awareness
 * relayed over server-sent events, scoped exactly like the document itself.
 */
export function awarenessRoutes(store: Store, hub: AwarenessHub, options: AwarenessRouteOptions): Hono<AppEnv> {
  const routes = new Hono<AppEnv>();
  setInterval(() => hub.sweep(), 60_000).unref();

  routes.get('/:collection/:id/awareness', async (c) => {
    const room = await authorizedRoom(store, c);
    return sessionEvents<Uint8Array>(c, {
      sessions: options.sessions,
      recheckEveryMs: options.heartbeatSeconds * 1000,
      heartbeatSeconds: options.heartbeatSeconds,
      shutdown: options.shutdown,
      subscribe: (queue) => hub.subscribe(room, (update) => queue.push(update)),
      toMessage: (update) => ({ event: 'awareness', data: Buffer.from(update).toString('base64') }),
    });
  });

  routes.post('/:collection/:id/awareness', async (c) => {
    const room = await authorizedRoom(store, c);
    const body = parseInput('body', AwarenessBody, await readJsonBody(c));
    const user = c.get('user');
    try {
      const stamped = stampAwarenessUpdate(new Uint8Array(Buffer.from(body.update, 'base64')), { userId: user.id, name: user.name });
      hub.publish(room, stamped.clientId, stamped.update, user.id);
    } catch (error) {
      if (error instanceof AwarenessRejected) throw new ApiError(400, 'invalid_awareness', error.message, 'body.update');
      throw error;
    }
    return c.body(null, 204);
  });

  return routes;
}
