import { toJsonSchema } from '@valibot/to-json-schema';
import { COLLECTION_NAMES, COLLECTIONS } from '../../shared/schema/collections.ts';
import { PULL_DEFAULT_LIMIT, PULL_MAX_LIMIT, PUSH_MAX_ROWS } from '../../shared/sync/protocol.ts';

type JsonObject = Record<string, unknown>;

const errorResponse = (description: string): JsonObject => ({
  description,
  content: { 'application/json': { schema: { $ref: '#/components/schemas/Error' } } },
});

function entitySchemas(): JsonObject {
  const schemas: JsonObject = {};
  for (const name of COLLECTION_NAMES) {
    const json = toJsonSchema(COLLECTIONS[name].schema, { target: 'openapi-3.0', errorMode: 'ignore' }) as JsonObject;
    delete json['$schema'];
    const properties = { ...(json['properties'] as JsonObject), _deleted: { type: 'boolean', description: 'soft deletion (tombstone)' } };
    schemas[name] = { ...json, properties };
  }
  return schemas;
}

function collectionPaths(): JsonObject {
  const paths: JsonObject = {};
  for (const name of COLLECTION_NAMES) {
    const ref = { $ref: `#/components/schemas/${name}` };
    paths[`/api/sync/${name}/pull`] = {
      get: {
        operationId: `pull_${name}`,
        summary: `Changes to ${name} after a checkpoint, in server sequence order`,
        parameters: [
          { name: 'checkpoint', in: 'query', required: false, schema: { type: 'string' }, description: 'JSON object {orgId: seq} from the previous pull; empty or absent starts from the beginning' },
          { name: 'limit', in: 'query', required: false, schema: { type: 'integer', minimum: 1, maximum: PULL_MAX_LIMIT, default: PULL_DEFAULT_LIMIT } },
        ],
        responses: {
          200: {
            description: 'A page of changes',
            content: {
              'application/json': {
                schema: {
                  type: 'object',
                  required: ['documents', 'checkpoint', 'remaining'],
                  properties: {
                    documents: { type: 'array', items: ref },
                    checkpoint: { $ref: '#/components/schemas/Checkpoint' },
                    remaining: { type: 'integer', minimum: 0, description: 'changes still waiting after this page' },
                  },
                },
              },
            },
          },
          400: errorResponse('Malformed checkpoint or limit'),
          404: errorResponse('Unknown collection'),
          410: errorResponse('The checkpoint predates purged tombstones: resync from an empty checkpoint (code resync_required)'),
        },
      },
    };
    paths[`/api/sync/${name}/push`] = {
      post: {
        operationId: `push_${name}`,
        summary: `Write ${name}; each row applies only if its assumed master matches the server's`,
        requestBody: {
          required: true,
          content: {
            'application/json': {
              schema: {
                type: 'array',
                maxItems: PUSH_MAX_ROWS,
                items: {
                  type: 'object',
                  required: ['newDocumentState'],
                  additionalProperties: false,
                  properties: { newDocumentState: ref, assumedMasterState: ref },
                },
              },
            },
          },
        },
        responses: {
          200: { description: 'Current masters of rows that conflicted (empty: all applied)', content: { 'application/json': { schema: { type: 'array', items: ref } } } },
          400: errorResponse('Invalid row; nothing was written'),
          404: errorResponse('Unknown collection'),
          413: errorResponse('Body too large'),
          415: errorResponse('Body is not application/json'),
        },
      },
    };
  }
  return paths;
}

let cached: JsonObject | undefined;

/** The OpenAPI 3.0 description, derived from the same valibot schemas the routes validate with. */
export function openApiDocument(): JsonObject {
  cached ??= {
    openapi: '3.0.3',
    info: { title: 'Outpost API', version: '0.1.0', description: 'Sync protocol and operations API of the Outpost server.' },
    paths: {
      '/healthz': { get: { operationId: 'health', summary: 'Liveness and store reachability', responses: { 200: { description: 'Healthy' } } } },
      '/api/openapi.json': { get: { operationId: 'openapi', summary: 'This document', responses: { 200: { description: 'OpenAPI document' } } } },
      '/api/sync/stream': {
        get: {
          operationId: 'stream',
          summary: 'Server-sent events: "RESYNC" on connect, then {collection, documents, checkpoint} batches; comment heartbeats',
          responses: { 200: { description: 'An event stream', content: { 'text/event-stream': { schema: { type: 'string' } } } } },
        },
      },
      ...collectionPaths(),
    },
    components: {
      schemas: {
        Error: {
          type: 'object',
          required: ['error'],
          properties: {
            error: {
              type: 'object',
              required: ['code', 'message'],
              properties: { code: { type: 'string' }, message: { type: 'string' }, field: { type: 'string' } },
            },
          },
        },
        Checkpoint: { type: 'object', additionalProperties: { type: 'integer', minimum: 0 }, description: 'organization id → last sequence seen' },
        ...entitySchemas(),
      },
    },
  };
  return cached;
}
