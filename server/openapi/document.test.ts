import type * as v from 'valibot';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { COLLECTION_NAMES, COLLECTIONS } from '../../shared/schema/collections.ts';
import { startTestServer, type TestServer } from '../../test/support/server.ts';
import { openApiDocument } from './document.ts';

type JsonObject = Record<string, unknown>;

const isObject = (value: unknown): value is JsonObject => typeof value === 'object' && value !== null && !Array.isArray(value);

function at(value: unknown, ...path: string[]): unknown {
  let current = value;
  for (const key of path) {
    if (!isObject(current)) return undefined;
    current = current[key];
  }
  return current;
}

/** Required fields read from the valibot schema itself, not from its JSON Schema conversion. */
function requiredFieldsOf(schema: v.GenericSchema): string[] {
  const entries = (schema as unknown as { entries?: Record<string, { type: string }> }).entries;
  if (!entries) throw new Error(`schema of type ${schema.type} has no entries`);
  const optionalTypes = new Set(['optional', 'exact_optional', 'nullish', 'undefinedable']);
  return Object.entries(entries)
    .filter(([, entry]) => !optionalTypes.has(entry.type))
    .map(([key]) => key);
}

/** Every `$ref` anywhere below `value`. */
function refsIn(value: unknown, found: string[] = []): string[] {
  if (Array.isArray(value)) for (const item of value) refsIn(item, found);
  else if (isObject(value)) {
    for (const [key, child] of Object.entries(value)) {
      if (key === '$ref' && typeof child === 'string') found.push(child);
      else refsIn(child, found);
    }
  }
  return found;
}

/** Schema keywords of newer JSON Schema drafts that OpenAPI 3.0 does not have. */
function keywordsBeyondOpenApi30(value: unknown, path = '#', found: string[] = []): string[] {
  if (Array.isArray(value)) value.forEach((item, i) => keywordsBeyondOpenApi30(item, `${path}/${i}`, found));
  else if (isObject(value)) {
    for (const [key, child] of Object.entries(value)) {
      if (['$schema', '$defs', 'const', 'prefixItems', 'examples', 'unevaluatedProperties'].includes(key)) found.push(`${path}/${key}`);
      if (key === 'type' && Array.isArray(child)) found.push(`${path}/type`);
      keywordsBeyondOpenApi30(child, `${path}/${key}`, found);
    }
  }
  return found;
}

describe('OpenAPI document', () => {
  const document = openApiDocument();

  it('is an OpenAPI 3.0 document', () => {
    expect(document['openapi']).toMatch(/^3\.0\.\d+$/);
    expect(at(document, 'info', 'title')).toEqual(expect.any(String));
    expect(keywordsBeyondOpenApi30(document)).toEqual([]);
  });

  it('describes pull and push for every collection', () => {
    for (const name of COLLECTION_NAMES) {
      const pull = at(document, 'paths', `/api/sync/${name}/pull`, 'get');
      const push = at(document, 'paths', `/api/sync/${name}/push`, 'post');
      expect(pull, `pull of ${name}`).toMatchObject({ operationId: `pull_${name}` });
      expect(push, `push of ${name}`).toMatchObject({ operationId: `push_${name}` });
      expect(at(pull, 'responses', '200', 'content', 'application/json', 'schema', 'properties', 'documents', 'items')).toEqual({ $ref: `#/components/schemas/${name}` });
      expect(at(push, 'requestBody', 'content', 'application/json', 'schema', 'items', 'properties', 'newDocumentState')).toEqual({ $ref: `#/components/schemas/${name}` });
    }
  });

  it('describes the live stream, the health check and itself', () => {
    expect(at(document, 'paths', '/api/sync/stream', 'get')).toBeDefined();
    expect(at(document, 'paths', '/healthz', 'get')).toBeDefined();
    expect(at(document, 'paths', '/api/openapi.json', 'get')).toBeDefined();
  });

  it('gives each collection a schema requiring the fields its valibot schema requires', () => {
    for (const name of COLLECTION_NAMES) {
      const schema = at(document, 'components', 'schemas', name);
      const required = requiredFieldsOf(COLLECTIONS[name].schema);
      expect(required, name).toEqual(expect.arrayContaining(['id', 'orgId', 'updatedAt']));
      expect(at(schema, 'required'), name).toEqual(expect.arrayContaining(required));
      expect(Object.keys(at(schema, 'properties') as JsonObject), name).toEqual(expect.arrayContaining([...required, '_deleted']));
    }
    expect(at(document, 'components', 'schemas', 'devices', 'required')).toEqual(expect.arrayContaining(['siteId', 'hostname', 'kind', 'status', 'health']));
  });

  it('points every $ref at a schema it defines', () => {
    const refs = refsIn(document);
    expect(refs.length).toBeGreaterThan(COLLECTION_NAMES.length);
    for (const ref of new Set(refs)) {
      expect(ref, ref).toMatch(/^#\/components\/schemas\//);
      expect(at(document, ...ref.slice(2).split('/')), ref).toBeDefined();
    }
  });
});

describe('GET /api/openapi.json', () => {
  let server: TestServer;
  beforeEach(async () => {
    server = await startTestServer();
  });
  afterEach(async () => {
    await server.dispose();
  });

  it('serves the OpenAPI document', async () => {
    const response = await fetch(`${server.url}/api/openapi.json`);
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toMatch(/^application\/json/);
    expect(await response.json()).toEqual(openApiDocument());
  });

  it('describes routes the server answers', async () => {
    for (const name of COLLECTION_NAMES) {
      const pull = await server.adminFetch(`${server.url}/api/sync/${name}/pull`);
      expect(pull.status, `pull of ${name}`).toBe(200);
      const push = await server.adminFetch(`${server.url}/api/sync/${name}/push`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '[]' });
      expect(push.status, `push of ${name}`).toBe(200);
    }
    expect((await fetch(`${server.url}/healthz`)).status).toBe(200);
  });
});
