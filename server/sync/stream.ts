import type { Context } from 'hono';
import { sessionEvents } from '../http/session-events.ts';
import { COLLECTIONS } from '../../shared/schema/collections.ts';
import { RESYNC, type StreamChange } from '../../shared/sync/protocol.ts';
import type { Scope } from '../auth/principal.ts';
import type { AppEnv } from '../http/app-env.ts';
import { isInScope } from '../store/scope.ts';
import type { ChangeBatch, Store } from '../store/store.ts';
import type { Sessions } from '../auth/sessions.ts';
import type { ServerMetrics } from '../observability/metrics.ts';
import { readScope } from './authorization.ts';

export interface StreamOptions {
  heartbeatSeconds: number;
  /** A subscriber this far behind is disconnected; it reconnects, gets RESYNC and pulls. */
  maxQueuedBatches?: number;
  /** A user's stream ends with the session behind it (sign-out, revocation, disabling, expiry). */
  sessions: Sessions;
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
    const principal = c.get('principal');
    return sessionEvents<string>(c, {
      sessions: options.sessions,
      recheckEveryMs: options.heartbeatSeconds * 1000,
      heartbeatSeconds: options.heartbeatSeconds,
      shutdown: options.shutdown,
      maxQueued,
      subscribe: (queue) => {
        const unsubscribe = store.onChange((batch) => {
          const change = visibleChangeJson(readScope(principal, batch.collection), batch);
          if (change !== undefined) queue.push(change);
        });
        // The pump unsubscribes when the stream ends, however it ends: the gauge follows.
        options.metrics?.liveStreams.inc();
        return () => {
          unsubscribe();
          options.metrics?.liveStreams.dec();
        };
      },
      // Subscribed before RESYNC is sent, so nothing committed after the client's pull is missed.
      first: { data: JSON.stringify(RESYNC) },
      toMessage: (change) => ({ data: change }),
    });
  };
}
