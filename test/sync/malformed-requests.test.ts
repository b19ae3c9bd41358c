import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import Database from 'better-sqlite3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { makeDevice, makeOrg, makeSite } from '../support/documents.ts';
import { ADMIN_EMAIL, startTestServer, type TestServer } from '../support/server.ts';
import { DEFAULT_MAX_BODY_BYTES } from '../../server/app.ts';

interface BadRequest {
  name: string;
  method?: 'GET' | 'POST';
  path: string;
  contentType?: string;
  body?: string;
  status: number;
  code: string;
  field?: string;
}

const org = makeOrg();
const otherOrg = makeOrg({ name: 'Contoso' });
const site = makeSite(org.id);
const device = { ...makeDevice(org.id, site.id), _deleted: false };
const pushBody = (rows: unknown) => JSON.stringify(rows);
const validRow = () => ({ newDocumentState: { ...makeDevice(org.id, site.id), _deleted: false } });

/** Stands for a JSON value nested 20,000 levels deep, spliced in as text (building it as an object would overflow JSON.stringify). */
const DEEP = '<deep>';
const DEEP_JSON = `${'{"a":'.repeat(10_000)}${'['.repeat(10_000)}1${']'.repeat(10_000)}${'}'.repeat(10_000)}`;
const withDeepValue = (row: unknown) => pushBody([row]).replaceAll(JSON.stringify(DEEP), DEEP_JSON);
const deepConflict = () => ({ id: 'c-1', path: 'notes', keptValue: DEEP, otherValue: 'as installed', recordedAt: '2026-01-31T08:00:00.000Z' });

const badRequests: BadRequest[] = [
  { name: 'unknown collection on pull', path: '/api/sync/printers/pull', status: 404, code: 'unknown_collection', field: 'collection' },
  { name: 'unknown collection on push', method: 'POST', path: '/api/sync/__proto__/push', body: '[]', status: 404, code: 'unknown_collection' },
  { name: 'unknown route', path: '/api/nothing-here', status: 404, code: 'not_found' },
  { name: 'checkpoint that is not JSON', path: '/api/sync/devices/pull?checkpoint=%7Bnope', status: 400, code: 'invalid_input', field: 'query.checkpoint' },
  { name: 'checkpoint keyed by a non-id', path: `/api/sync/devices/pull?checkpoint=${encodeURIComponent('{"x":1}')}`, status: 400, code: 'invalid_input', field: 'query.checkpoint' },
  { name: 'negative checkpoint', path: `/api/sync/devices/pull?checkpoint=${encodeURIComponent(JSON.stringify({ [org.id]: -4 }))}`, status: 400, code: 'invalid_input', field: 'query.checkpoint' },
  { name: 'checkpoint as an array', path: `/api/sync/devices/pull?checkpoint=${encodeURIComponent('[1]')}`, status: 400, code: 'invalid_input', field: 'query.checkpoint' },
  { name: 'zero limit', path: '/api/sync/devices/pull?limit=0', status: 400, code: 'invalid_input', field: 'query.limit' },
  { name: 'non-numeric limit', path: '/api/sync/devices/pull?limit=ten', status: 400, code: 'invalid_input', field: 'query.limit' },
  { name: 'huge limit', path: '/api/sync/devices/pull?limit=999999', status: 400, code: 'invalid_input', field: 'query.limit' },
  { name: 'unknown query parameter', path: '/api/sync/devices/pull?admin=1', status: 400, code: 'invalid_input' },
  { name: 'wrong content type', method: 'POST', path: '/api/sync/devices/push', contentType: 'text/plain', body: pushBody([validRow()]), status: 415, code: 'unsupported_media_type' },
  { name: 'form content type', method: 'POST', path: '/api/sync/devices/push', contentType: 'application/x-www-form-urlencoded', body: 'a=1', status: 415, code: 'unsupported_media_type' },
  { name: 'body that is not JSON', method: 'POST', path: '/api/sync/devices/push', body: '[{"newDocumentState":', status: 400, code: 'invalid_json', field: 'body' },
  { name: 'body that is an object', method: 'POST', path: '/api/sync/devices/push', body: pushBody(validRow()), status: 400, code: 'invalid_input', field: 'body' },
  { name: 'row without a document', method: 'POST', path: '/api/sync/devices/push', body: pushBody([{}]), status: 400, code: 'invalid_input', field: 'body.0.newDocumentState' },
  { name: 'wrong type for a field', method: 'POST', path: '/api/sync/devices/push', body: pushBody([{ newDocumentState: { ...device, hostname: 42 } }]), status: 400, code: 'invalid_input', field: 'body.0.newDocumentState.hostname' },
  { name: 'missing required field', method: 'POST', path: '/api/sync/devices/push', body: pushBody([{ newDocumentState: { ...device, kind: undefined } }]), status: 400, code: 'invalid_input', field: 'body.0.newDocumentState.kind' },
  { name: 'value outside an enumeration', method: 'POST', path: '/api/sync/devices/push', body: pushBody([{ newDocumentState: { ...device, status: 'exploded' } }]), status: 400, code: 'invalid_input', field: 'body.0.newDocumentState.status' },
  { name: 'mass assignment of an unknown field', method: 'POST', path: '/api/sync/devices/push', body: pushBody([{ newDocumentState: { ...device, isAdmin: true } }]), status: 400, code: 'invalid_input' },
  { name: 'prototype pollution key', method: 'POST', path: '/api/sync/devices/push', body: `[{"newDocumentState":${JSON.stringify(device).replace('{', '{"__proto__":{"polluted":true},')}}]`, status: 400, code: 'invalid_input' },
  { name: 'constructor key', method: 'POST', path: '/api/sync/devices/push', body: pushBody([{ newDocumentState: { ...device, constructor: { prototype: { polluted: true } } } }]), status: 400, code: 'invalid_input' },
  { name: 'id that is not a UUID', method: 'POST', path: '/api/sync/devices/push', body: pushBody([{ newDocumentState: { ...device, id: 'DROP TABLE documents' } }]), status: 400, code: 'invalid_input', field: 'body.0.newDocumentState.id' },
  { name: 'deleted flag that is not a boolean', method: 'POST', path: '/api/sync/devices/push', body: pushBody([{ newDocumentState: { ...device, _deleted: 'yes' } }]), status: 400, code: 'invalid_input', field: 'body.0.newDocumentState._deleted' },
  { name: 'huge number', method: 'POST', path: '/api/sync/devices/push', body: pushBody([validRow()]).replace('"trend":[]', '"trend":[],"inventory":{"disks":[],"memoryBytes":1e309,"observedAt":"2026-01-01T00:00:00.000Z"}'), status: 400, code: 'invalid_input' },
  { name: 'string past its limit', method: 'POST', path: '/api/sync/devices/push', body: pushBody([{ newDocumentState: { ...device, notes: 'x'.repeat(5001) } }]), status: 400, code: 'invalid_input', field: 'body.0.newDocumentState.notes' },
  { name: 'risk whose score disagrees with its levels', method: 'POST', path: '/api/sync/risks/push', body: '', status: 400, code: 'invalid_input' },
  { name: 'a valid row followed by an invalid one', method: 'POST', path: '/api/sync/devices/push', body: pushBody([validRow(), { newDocumentState: { ...device, health: 'sick' } }]), status: 400, code: 'invalid_input', field: 'body.1.newDocumentState.health' },
  { name: 'assumed master of another document', method: 'POST', path: '/api/sync/devices/push', body: pushBody([{ newDocumentState: device, assumedMasterState: { ...device, id: makeDevice(org.id, site.id).id } }]), status: 400, code: 'invalid_input', field: 'body.0.assumedMasterState.id' },
  { name: 'too many rows', method: 'POST', path: '/api/sync/devices/push', body: pushBody(Array.from({ length: 1001 }, validRow)), status: 400, code: 'invalid_input', field: 'body' },
  { name: 'oversized body', method: 'POST', path: '/api/sync/devices/push', body: pushBody([{ newDocumentState: { ...device, notes: 'x'.repeat(DEFAULT_MAX_BODY_BYTES) } }]), status: 413, code: 'body_too_large' },
  { name: 'deeply nested body', method: 'POST', path: '/api/sync/devices/push', body: `${'['.repeat(5000)}${']'.repeat(5000)}`, status: 400, code: 'invalid_input' },
  // 20,000 levels (40 KB) parse fine, and used to overflow the stack when compared (a 500).
  { name: 'assumed master nested 20,000 levels deep', method: 'POST', path: '/api/sync/devices/push', body: withDeepValue({ newDocumentState: device, assumedMasterState: { ...device, notes: DEEP } }), status: 400, code: 'invalid_input' },
  { name: 'assumed master with an unknown field nested 20,000 levels deep', method: 'POST', path: '/api/sync/devices/push', body: withDeepValue({ newDocumentState: device, assumedMasterState: { ...device, nested: DEEP } }), status: 400, code: 'invalid_input' },
  { name: 'assumed master that is not a valid document', method: 'POST', path: '/api/sync/devices/push', body: pushBody([{ newDocumentState: device, assumedMasterState: { id: device.id, orgId: device.orgId } }]), status: 400, code: 'invalid_input' },
  { name: 'conflict record keeping a value nested 20,000 levels deep', method: 'POST', path: '/api/sync/devices/push', body: withDeepValue({ newDocumentState: { ...device, conflicts: [deepConflict()] } }), status: 400, code: 'invalid_input' },
  { name: 'assumed master whose conflict record keeps a value nested 20,000 levels deep', method: 'POST', path: '/api/sync/devices/push', body: withDeepValue({ newDocumentState: device, assumedMasterState: { ...device, conflicts: [deepConflict()] } }), status: 400, code: 'invalid_input' },
];

const riskBody = () => {
  const risk = {
    id: makeDevice(org.id, site.id).id, orgId: org.id, updatedAt: new Date().toISOString(), title: 'Single ISP uplink', description: '',
    category: 'availability', likelihood: 4, impact: 5, score: 12, treatment: 'mitigate', mitigations: [], status: 'open',
    nextReviewAt: new Date().toISOString(), links: { deviceIds: [], siteIds: [], runbookIds: [], incidentIds: [] }, decisions: [], _deleted: false,
  };
  return pushBody([{ newDocumentState: risk }]);
};

describe('malformed requests', () => {
  let server: TestServer;
  /** On SQLite, a connection of the test's own to the server's file, kept open across requests. */
  let inspector: Database.Database | undefined;

  /**
   * A logical dump of what a request could change (documents, sequences, audit entries) and, on
   * SQLite, the database file's bytes once the WAL is folded in too.
   */
  const databaseFingerprint = async () => {
    if (inspector) {
      inspector.pragma('wal_checkpoint(TRUNCATE)');
      const bytes = createHash('sha256').update(readFileSync(server.databaseFile)).digest('hex');
      const rows = inspector.prepare('SELECT * FROM documents ORDER BY collection, id').all();
      const sequences = inspector.prepare('SELECT * FROM org_sequences ORDER BY org_id').all();
      const audit = inspector.prepare('SELECT count(*) AS n FROM audit_log').get();
      return JSON.stringify({ bytes, rows, sequences, audit });
    }
    const rows = await server.sql('SELECT * FROM documents ORDER BY collection, id');
    const sequences = await server.sql('SELECT * FROM org_sequences ORDER BY org_id');
    const [audit] = await server.sql('SELECT count(*) AS n FROM audit_log');
    return JSON.stringify({ rows, sequences, audit });
  };

  beforeAll(async () => {
    server = await startTestServer();
    await server.store.insertMany('orgs', [{ ...org, _deleted: false }, { ...otherOrg, _deleted: false }]);
    await server.store.insertMany('sites', [{ ...site, _deleted: false }]);
    await server.store.insertMany('devices', [device]);
    const admin = await server.store.users.findByEmail(ADMIN_EMAIL);
    if (!admin) throw new Error('no admin');
    await server.store.users.update(admin.id, { memberships: [...admin.memberships, { orgId: org.id, role: 'admin', siteIds: 'all' }] }, Date.now());
    if (server.engine === 'sqlite') inspector = new Database(server.databaseFile);
  });

  afterAll(async () => {
    inspector?.close();
    await server.dispose();
  });

  it.each(badRequests)('answers $name with $status and leaves the database unchanged', async (request) => {
    const before = await databaseFingerprint();
    const body = request.name.startsWith('risk') ? riskBody() : request.body;
    const response = await server.adminFetch(`${server.url}${request.path}`, {
      method: request.method ?? 'GET',
      ...(body === undefined ? {} : { body, headers: { 'content-type': request.contentType ?? 'application/json' } }),
    });
    expect(response.status).toBe(request.status);
    const answer = (await response.json()) as { error: { code: string; message: string; field?: string } };
    expect(answer.error.code).toBe(request.code);
    expect(answer.error.message.length).toBeGreaterThan(0);
    expect(JSON.stringify(answer)).not.toMatch(/at .*\.ts:\d+/);
    if (request.field) expect(answer.error.field).toBe(request.field);
    expect(await databaseFingerprint()).toBe(before);
    expect(({} as Record<string, unknown>)['polluted']).toBeUndefined();
  });
});
