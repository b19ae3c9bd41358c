import { toJsonSchema } from '@valibot/to-json-schema';
import { COLLECTION_NAMES, COLLECTIONS } from '../../shared/schema/collections.ts';
import { ConflictProvenanceList, PULL_DEFAULT_LIMIT, PULL_MAX_LIMIT, PUSH_MAX_ROWS } from '../../shared/sync/protocol.ts';

type JsonObject = Record<string, unknown>;

/** Derived from the schema the client parses it with: one description of the shape. */
function conflictProvenanceSchema(): JsonObject {
  const json = toJsonSchema(ConflictProvenanceList, { target: 'openapi-3.0', errorMode: 'ignore' }) as JsonObject;
  delete json['$schema'];
  return {
    ...json,
    description:
      "per conflict: when the server accepted that master (writtenAt) and who wrote it (writtenBy: absent for documents written before the server recorded writers; name: a user's, given only to callers who may read that organization's directory)",
  };
}

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
          401: errorResponse('Not signed in'),
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
          200: {
            description:
              'conflicts: current masters of rows whose assumed master was stale; rejected: rows refused by authorization, with a reason (both empty: all applied); conflictProvenance: for each conflict, when the server accepted that master and who wrote it',
            content: {
              'application/json': {
                schema: {
                  type: 'object',
                  required: ['conflicts', 'rejected'],
                  properties: {
                    conflicts: { type: 'array', items: ref },
                    rejected: {
                      type: 'array',
                      items: {
                        type: 'object',
                        required: ['id', 'reason'],
                        properties: { id: { type: 'string' }, reason: { type: 'string' }, field: { type: 'string' }, master: ref },
                      },
                    },
                    conflictProvenance: conflictProvenanceSchema(),
                  },
                },
              },
            },
          },
          401: errorResponse('Not signed in'),
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

const jsonBody = (schema: JsonObject): JsonObject => ({ required: true, content: { 'application/json': { schema } } });
const json = (description: string, schema: JsonObject = { type: 'object' }): JsonObject => ({ description, content: { 'application/json': { schema } } });
const idParameter = { name: 'id', in: 'path', required: true, schema: { type: 'string', format: 'uuid' } };
const membership = {
  type: 'object',
  required: ['orgId', 'role'],
  additionalProperties: false,
  properties: {
    orgId: { type: 'string', format: 'uuid' },
    role: { type: 'string', enum: ['admin', 'manager', 'technician', 'staff'] },
    siteIds: { type: 'array', items: { type: 'string', format: 'uuid' }, minItems: 1, description: 'absent: every site of the organization' },
  },
};

/** Presence (cursors, names) of a collaborative text: Yjs awareness updates, base64. */
function collabAwarenessPath(): JsonObject {
  const parameters = [{ name: 'collection', in: 'path', required: true, schema: { type: 'string', enum: ['runbooks', 'incidents'] } }, idParameter];
  const refused = { 400: errorResponse('Invalid collection, id or update'), 401: errorResponse('Not signed in'), 404: errorResponse('No such document within your scope') };
  return {
    get: {
      operationId: 'awarenessStream',
      summary: 'Server-sent "awareness" events: the live states of everyone on this text, then every update',
      parameters,
      responses: { 200: { description: 'An event stream', content: { 'text/event-stream': { schema: { type: 'string' } } } }, ...refused },
    },
    post: {
      operationId: 'publishAwareness',
      summary: "Publish this editor's awareness state (one client); the server stamps the signed-in user's name",
      parameters,
      requestBody: jsonBody({ type: 'object', required: ['update'], additionalProperties: false, properties: { update: { type: 'string', format: 'byte', maxLength: 21852 } } }),
      responses: { 204: { description: 'Relayed' }, ...refused },
    },
  };
}

function accountPaths(): JsonObject {
  const adminOnly = { 401: errorResponse('Not signed in'), 403: errorResponse('Not an administrator of that organization') };
  return {
    '/api/auth/login': {
      post: {
        operationId: 'login',
        summary: 'Sign in; sets an HttpOnly, SameSite=Strict session cookie that slides for 30 days (at most 90 in all), and a known-device cookie',
        requestBody: jsonBody({ type: 'object', required: ['email', 'password'], additionalProperties: false, properties: { email: { type: 'string', maxLength: 254 }, password: { type: 'string', maxLength: 1024 } } }),
        responses: { 200: json('Signed in: the user and memberships'), 400: errorResponse('Invalid body'), 401: errorResponse('Email or password is incorrect'), 429: errorResponse('Too many failed attempts: see Retry-After') },
      },
    },
    '/api/auth/logout': { post: { operationId: 'logout', summary: 'End this session; clears site data', responses: { 204: { description: 'Signed out' } } } },
    '/api/auth/me': { get: { operationId: 'me', summary: 'The signed-in user and memberships', responses: { 200: json('The user'), 401: errorResponse('Not signed in') } } },
    '/api/auth/password': {
      post: {
        operationId: 'changePassword',
        summary: 'Change the password; ends every other session',
        requestBody: jsonBody({ type: 'object', required: ['currentPassword', 'newPassword'], additionalProperties: false, properties: { currentPassword: { type: 'string' }, newPassword: { type: 'string', minLength: 8 } } }),
        responses: { 204: { description: 'Changed' }, 400: errorResponse('Weak password'), 401: errorResponse('Not signed in'), 403: errorResponse('Current password incorrect'), 429: errorResponse('Too many wrong current passwords: see Retry-After') },
      },
    },
    '/api/admin/users': {
      get: { operationId: 'listUsers', summary: 'Accounts in the organizations you administer', responses: { 200: json('Users'), ...adminOnly } },
      post: {
        operationId: 'createUser',
        summary: 'Create an account with memberships in organizations you administer (an existing account of other organizations gets the memberships; its password and name stay)',
        requestBody: jsonBody({ type: 'object', required: ['email', 'name', 'password', 'memberships'], additionalProperties: false, properties: { email: { type: 'string' }, name: { type: 'string' }, password: { type: 'string', minLength: 8 }, memberships: { type: 'array', items: membership, minItems: 1 } } }),
        responses: { 201: json('Created'), 400: errorResponse('Invalid body, weak password, or a site not of the membership\'s organization'), 409: errorResponse('An account with this email is already in your organizations'), ...adminOnly },
      },
    },
    '/api/admin/users/{id}': {
      patch: {
        operationId: 'updateUser',
        summary: 'Change memberships (in your organizations) and, if you administer all of the account\'s organizations, its name, email, password or disabled flag; ends the user\'s sessions when rights shrink',
        parameters: [idParameter],
        requestBody: jsonBody({ type: 'object', additionalProperties: false, properties: { email: { type: 'string' }, name: { type: 'string' }, password: { type: 'string' }, memberships: { type: 'array', items: membership }, isDisabled: { type: 'boolean' } } }),
        responses: { 200: json('Updated'), 400: errorResponse('Invalid body'), 404: errorResponse('No such user in your organizations'), 409: errorResponse('Would leave an organization without an administrator'), ...adminOnly, 403: errorResponse('Not an administrator of that organization, or an account-wide change to an account of other organizations too') },
      },
      delete: {
        operationId: 'deleteUser',
        summary: 'Remove the user from your organizations (deletes the account when none remain)',
        parameters: [idParameter],
        responses: { 204: { description: 'Removed' }, 404: errorResponse('No such user'), 409: errorResponse('Last administrator'), ...adminOnly },
      },
    },
    '/api/admin/users/{id}/sessions/revoke': {
      post: { operationId: 'revokeSessions', summary: 'End every session of the user (live streams close); only by an administrator of all its organizations', parameters: [idParameter], responses: { 200: json('Count revoked'), 404: errorResponse('No such user'), ...adminOnly, 403: errorResponse('The account also belongs to an organization you do not administer') } },
    },
    '/api/admin/enrollment-tokens': {
      get: { operationId: 'listEnrollmentTokens', summary: 'The 500 newest enrollment tokens of your organizations (never the token or its hash)', responses: { 200: json('Tokens'), ...adminOnly } },
      post: {
        operationId: 'createEnrollmentToken',
        summary: 'A site enrollment token for agents; shown once, stored hashed',
        requestBody: jsonBody({ type: 'object', required: ['siteId', 'expiresInHours'], additionalProperties: false, properties: { siteId: { type: 'string', format: 'uuid' }, expiresInHours: { type: 'integer', minimum: 1, maximum: 2160 }, maxUses: { type: 'integer', minimum: 1, maximum: 100000, description: 'how many agents may enroll with it; absent: no limit but the expiry' } } }),
        responses: { 201: json('The token'), 400: errorResponse('Invalid body'), 404: errorResponse('No such site'), ...adminOnly },
      },
    },
    '/api/admin/enrollment-tokens/{id}': {
      delete: { operationId: 'revokeEnrollmentToken', summary: 'Revoke a token', parameters: [idParameter], responses: { 204: { description: 'Revoked' }, 404: errorResponse('No such token'), ...adminOnly } },
    },
    '/api/admin/devices/{id}/agent': {
      delete: { operationId: 'revokeAgent', summary: 'Revoke the agent credential of a device: it stops reporting at once', parameters: [idParameter], responses: { 204: { description: 'Revoked' }, 404: errorResponse('No enrolled agent on such a device'), ...adminOnly } },
    },
    '/api/admin/audit': {
      get: {
        operationId: 'audit',
        summary: 'The append-only audit log of the organizations you administer',
        parameters: [
          { name: 'cursor', in: 'query', required: false, schema: { type: 'integer', minimum: 0 } },
          { name: 'limit', in: 'query', required: false, schema: { type: 'integer', minimum: 1, maximum: 1000 } },
        ],
        responses: { 200: json('Entries after the cursor, oldest first'), 400: errorResponse('Invalid query'), ...adminOnly },
      },
    },
  };
}

function agentPaths(): JsonObject {
  const record = {
    type: 'object',
    required: ['kind', 'id', 'observedAt'],
    properties: {
      kind: { type: 'string', enum: ['heartbeat', 'inventory', 'check'] },
      id: { type: 'string', format: 'uuid', description: 'de-duplicated by the server' },
      observedAt: { type: 'string', format: 'date-time' },
    },
  };
  return {
    '/api/agent/enroll': {
      post: {
        operationId: 'enrollAgent',
        summary: 'Exchange a site enrollment token for a device identity and secret (rate limited per address)',
        requestBody: jsonBody({ type: 'object', required: ['token', 'hostname', 'agentVersion'], additionalProperties: false, properties: { token: { type: 'string' }, hostname: { type: 'string' }, deviceKind: { type: 'string' }, agentVersion: { type: 'string' } } }),
        responses: {
          201: json('deviceId, deviceSecret (shown once), orgId, siteId, serverTime'),
          400: errorResponse('Invalid body'),
          401: errorResponse('Unknown token (token_invalid)'),
          410: errorResponse('Token expired, revoked or used up (token_expired, token_revoked, token_used_up), or its site removed'),
          429: errorResponse('Too many failed enrollments from this address, or enrollments with this token: see Retry-After'),
        },
      },
    },
    '/api/agent/ingest': {
      post: {
        operationId: 'ingest',
        summary: 'A batch of heartbeats, inventories and check results (Authorization: Bearer <deviceId>.<secret>); idempotent by record id',
        requestBody: jsonBody({ type: 'object', required: ['agentVersion', 'records'], additionalProperties: false, properties: { agentVersion: { type: 'string' }, records: { type: 'array', minItems: 1, maxItems: 500, items: record } } }),
        responses: {
          200: json('accepted record ids and the server time'),
          400: errorResponse('Malformed batch; nothing applied'),
          401: errorResponse('Invalid device credential'),
          403: errorResponse('Device revoked'),
          410: errorResponse('Device removed: enroll again'),
          413: errorResponse('Batch over 1 MiB'),
          422: errorResponse('device_write_refused: the records cannot be applied to the device; the agent sets them aside'),
          503: errorResponse('server_busy (too many large bodies at once) or device_state_busy: send the batch again (see Retry-After)'),
        },
      },
    },
  };
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
      '/api/collab/{collection}/{id}/awareness': collabAwarenessPath(),
      ...accountPaths(),
      ...agentPaths(),
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
