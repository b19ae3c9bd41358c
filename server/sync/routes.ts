import { Hono } from 'hono';
import { COLLECTIONS, isCollectionName, type CollectionName } from '../../shared/schema/collections.ts';
import { isInScope } from '../store/scope.ts';
import { decodeCheckpoint, type Checkpoint } from '../../shared/sync/checkpoint.ts';
import { PULL_DEFAULT_LIMIT, PullQuerySchema, RESYNC_REQUIRED, type PushResponse } from '../../shared/sync/protocol.ts';
import type { AppEnv } from '../http/app-env.ts';
import { ApiError, parseInput } from '../http/errors.ts';
import { readJsonBody } from '../http/json-body.ts';
import { InvalidWriteError, ResyncRequiredError, type PullPage, type PushResult, type Store } from '../store/store.ts';
import type { ServerMetrics } from '../observability/metrics.ts';
import { parsePushBody } from './replicated-document.ts';
import { clientAddress } from '../http/client-address.ts';
import { readScope, writeAuthorizer, type WriteOptions } from './authorization.ts';
import { asciiJson } from './ascii-json.ts';
import { describeConflictProvenance } from './conflict-provenance.ts';
import { streamRoute, type StreamOptions } from './stream.ts';

function collectionParam(name: string): CollectionName {
  if (!isCollectionName(name)) throw new ApiError(404, 'unknown_collection', `no collection named ${JSON.stringify(name.slice(0, 64))}`, 'collection');
  return name;
}

function checkpointParam(text: string | undefined): Checkpoint {
  if (text === undefined || text === '') return {};
  try {
    return decodeCheckpoint(text);
  } catch {
    throw new ApiError(400, 'invalid_input', 'checkpoint: must be a JSON object of organization ids to sequence numbers', 'query.checkpoint');
  }
}

const COMMA = Buffer.from(',');

/** A PullResponse in ASCII-only JSON, written around documents that are already JSON. */
function pullResponseJson(page: PullPage<Uint8Array>): Uint8Array<ArrayBuffer> {
  const parts: Uint8Array[] = [Buffer.from('{"documents":[')];
  for (const [index, document] of page.documents.entries()) {
    if (index > 0) parts.push(COMMA);
    parts.push(asciiJson(document));
  }
  parts.push(Buffer.from(`],"checkpoint":${JSON.stringify(page.checkpoint)},"remaining":${page.remaining}}`));
  return Buffer.concat(parts);
}

function countPush(metrics: ServerMetrics | undefined, collection: CollectionName, rows: number, result: PushResult): void {
  if (!metrics) return;
  metrics.documentsPushed.inc({ collection }, rows);
  metrics.pushConflicts.inc({ collection }, result.conflicts.length);
  metrics.pushRejectedRows.inc({ collection }, result.rejected.length);
}

export function syncRoutes(store: Store, streamOptions: StreamOptions, writeOptions: WriteOptions = {}): Hono<AppEnv> {
  const routes = new Hono<AppEnv>();

  routes.get('/stream', streamRoute(store, streamOptions));

  routes.get('/:collection/pull', async (c) => {
    const collection = collectionParam(c.req.param('collection'));
    const query = parseInput('query', PullQuerySchema, c.req.query());
    const checkpoint = checkpointParam(query.checkpoint);
    try {
      const page = await store.pullJson(readScope(c.get('principal'), collection), collection, checkpoint, query.limit ?? PULL_DEFAULT_LIMIT);
      streamOptions.metrics?.documentsPulled.inc({ collection }, page.documents.length);
      return c.body(pullResponseJson(page), 200, { 'content-type': 'application/json' });
    } catch (error) {
      if (error instanceof ResyncRequiredError) throw new ApiError(410, RESYNC_REQUIRED, error.message, 'query.checkpoint');
      throw error;
    }
  });

  routes.post('/:collection/push', async (c) => {
    const collection = collectionParam(c.req.param('collection'));
    const rows = parsePushBody(collection, await readJsonBody(c));
    const principal = c.get('principal');
    try {
      const authorize = await writeAuthorizer(store, principal, collection, rows, writeOptions);
      const readable = readScope(principal, collection);
      const isSiteScoped = COLLECTIONS[collection].isSiteScoped;
      const result = await store.push(principal, collection, rows, {
        authorize,
        clientAddress: clientAddress(c),
        isVisible: (stored) => isInScope(readable, stored.orgId, isSiteScoped ? stored.siteId : undefined),
      });
      countPush(streamOptions.metrics, collection, rows.length, result);
      const response: PushResponse = {
        conflicts: result.conflicts,
        rejected: result.rejected.map((r) => ({ id: r.id, reason: r.reason, ...(r.field ? { field: r.field } : {}), ...(r.master ? { master: r.master } : {}) })),
        // Only beside conflicts: an all-applied answer stays as small as it was.
        ...(result.conflicts.length > 0 ? { conflictProvenance: await describeConflictProvenance(store, principal, result.conflicts, result.conflictProvenance) } : {}),
      };
      return c.json(response);
    } catch (error) {
      if (error instanceof InvalidWriteError) throw new ApiError(400, 'invalid_write', `${error.field}: ${error.message}`, `body.${error.field}`);
      throw error;
    }
  });

  return routes;
}
