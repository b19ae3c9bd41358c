import type { Context } from 'hono';
import { streamSSE } from 'hono/streaming';
import { pumpEvents } from '../http/event-pump.ts';
import { COLLECTIONS } from '../../shared/schema/collections.ts';
import { RESYNC, type StreamChange } from '../../shared/sync/protocol.ts';
import type { Scope } from '../auth/principal.ts';
import type { AppEnv } from '../http/app-env.ts';
import { ApiError } from '../http/errors.ts';
import { isInScope } from '../store/scope.ts';
import type { ChangeBatch, Store } from '../store/store.ts';
import type { Sessions } from '../auth/sessions.ts';
import type { ServerMetrics } from '../observability/metrics.ts';
import { readScope } from './authorization.ts';

export interface StreamOptions {
  heartbeatSeconds: number;
  /** A subscriber this far behind is disconnected; it reconnects, gets RESYNC and pulls. */
  maxQueuedBatches?: number;
  /** Ends a user's stream when the session behind it is revoked or expires. */
  sessions?: Sessions;
  /** Ends every stream cleanly, and refuses new ones, when the server shuts down. */
  shutdown?: AbortSignal;
  /** Counts open streams (and, in syncRoutes, documents pulled and pushed). */
  metrics?: ServerMetrics;
}

/** The part of a committed batch this principal may see, or nothing. */
export function visibleChange(scope: Scope, batch: ChangeBatch): StreamChange | undefined {
  const isSiteScoped = COLLECTIONS[batch.collection].isSiteScoped;
  const documents = batch.documents.filter((d) => isInScope(scope, batch.orgId, isSiteScoped ? d.siteId : undefined));
  if (documents.length === 0) return undefined;
  return { collection: batch.collection, documents, checkpoint: { [batch.orgId]: batch.seq } };
}

const wholeBatchJson = new WeakMap<ChangeBatch, string>();

/**
 * The stream data of what this principal may see of a batch. A batch seen whole is the same
 * message for every subscriber: it is serialized once, not once per open stream.
 */
function visibleChangeJson(scope: Scope, batch: ChangeBatch): string | undefined {
  const change = visibleChange(scope, batch);
  if (!change) return undefined;
  if (change.documents.length < batch.documents.length) return JSON.stringify(change);
  let json = wholeBatchJson.get(batch);
  if (json === undefined) {
    json = JSON.stringify(change);
    wholeBatchJson.set(batch, json);
  }
  return json;
}

export function streamRoute(store: Store, options: StreamOptions) {
  const maxQueued = options.maxQueuedBatches ?? 1000;
  return (c: Context<AppEnv>) => {
    if (options.shutdown?.aborted) {
      // The client backs off and reconnects; through a load balancer, to another instance.
      c.header('Retry-After', '1');
      throw new ApiError(503, 'server_draining', 'this server is shutting down: reconnect');
    }
    const principal = c.get('principal');
    const sessionTokenHash = principal.sessionTokenHash;
    c.header('X-Accel-Buffering', 'no');
    return streamSSE(c, (stream) =>
      pumpEvents<string>(stream, {
        heartbeatSeconds: options.heartbeatSeconds,
        shutdown: options.shutdown,
        maxQueued,
        subscribe: (queue) => {
          const unsubscribe = store.onChange((batch) => {
            const change = visibleChangeJson(readScope(principal, batch.collection), batch);
            if (change !== undefined) queue.push(change);
          });
          const stopWatchingRevocations = options.sessions?.onRevoked((event) => {
            if (event.userId === principal.id && (event.tokenHash === undefined || event.tokenHash === sessionTokenHash)) queue.close();
          });
          // The pump unsubscribes when the stream ends, however it ends: the gauge follows.
          options.metrics?.liveStreams.inc();
          return () => {
            unsubscribe();
            stopWatchingRevocations?.();
            options.metrics?.liveStreams.dec();
          };
        },
        // Subscribed before RESYNC is sent, so nothing committed after the client's pull is missed.
        first: { data: JSON.stringify(RESYNC) },
        toMessage: (change) => ({ data: change }),
        // Revocations by another server instance, and expiry, are noticed here.
        onHeartbeat: (queue) => {
          if (sessionTokenHash && options.sessions) {
            options.sessions.isActive(sessionTokenHash).then((isActive) => isActive || queue.close(), () => undefined);
          }
        },
      }),
    );
  };
}
