import fc from 'fast-check';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { createLogger } from '../../server/observability/logger.ts';
import { openApiDocument } from '../../server/openapi/document.ts';
import { formatDeviceCredential, type EnrollResponse } from '../../shared/agent/protocol.ts';
import { makeSite } from '../support/documents.ts';
import { signIn, startTestServer, TEST_STORE_ENGINE, ADMIN_EMAIL, ADMIN_PASSWORD, type TestServer } from '../support/server.ts';
import { fromSchema, hostileBody, hostileContentType, hostileHeaders, hostileString } from './support/hostile-arbitraries.ts';
import { operationsOf, type Operation } from './support/openapi-operations.ts';
import { sendHostile, sendRawBytes, type HostileRequest } from './support/hostile-request.ts';
import { StateFingerprint } from './support/state-fingerprint.ts';

const DOCUMENT = openApiDocument();
const OPERATIONS = operationsOf(DOCUMENT);
/** Per operation; FUZZ_RUNS=500 for a long run. PostgreSQL runs fewer: the same validation, another store. */
const RUNS = Number(process.env['FUZZ_RUNS'] ?? (TEST_STORE_ENGINE === 'postgres' ? 8 : 25));
const SEED = Number(process.env['FUZZ_SEED'] ?? 20260916);
const json = { 'content-type': 'application/json' };

/** The request for an operation: every part of it drawn hostile, shaped by the description where it has one. */
function requestFor(operation: Operation, knownIds: readonly string[]): fc.Arbitrary<HostileRequest> {
  const pathParameters = operation.parameters.filter((p) => p.in === 'path');
  const queryParameters = operation.parameters.filter((p) => p.in === 'query');
  const pathValue = fc.oneof({ weight: 3, arbitrary: fc.constantFrom(...knownIds) }, { weight: 3, arbitrary: hostileString }, fc.uuid());
  const queryValue = (schema: object | undefined) =>
    fc.oneof(schema ? fromSchema(DOCUMENT, schema).map((v) => (typeof v === 'string' ? v : JSON.stringify(v) ?? '')) : hostileString, hostileString);
  return fc.record({
    path: fc.tuple(...pathParameters.map(() => fc.tuple(pathValue, fc.boolean()))).map((values) => {
      let path = operation.path;
      pathParameters.forEach((parameter, i) => {
        const [value, isRaw] = values[i] ?? ['', false];
        path = path.replace(`{${parameter.name}}`, isRaw ? value : encodeURIComponent(value));
      });
      return path;
    }),
    query: fc.tuple(
      fc.record(Object.fromEntries(queryParameters.map((p) => [p.name, queryValue(p.schema)])), { requiredKeys: [] }),
      fc.dictionary(fc.oneof(hostileString, fc.constantFrom('__proto__', 'constructor', 'limit')), hostileString, { maxKeys: 2 }),
    ).map(([declared, extra]) => {
      const query: Record<string, string> = { ...extra };
      for (const [key, value] of Object.entries(declared)) if (value !== undefined) query[key] = value;
      return query;
    }),
    auth: fc.constantFrom('valid', 'valid', 'valid', 'valid', 'none', 'garbage'),
    contentType: hostileContentType,
    headers: hostileHeaders,
    body: operation.method === 'GET' ? fc.constant(undefined) : hostileBody(DOCUMENT, operation.bodySchema),
  }).map((parts) => ({ method: operation.method, ...parts }));
}

describe('hostile input against every route of the OpenAPI description', () => {
  let server: TestServer;
  let fingerprint: StateFingerprint;
  /** The state every refused request must leave as it found. */
  let current: string;
  let cookie: string;
  let agentCredential: string;
  let knownIds: string[] = [];
  const statuses = new Map<number, number>();
  /** The server (in this process) logs every error it answers 500 to, even when the client is gone by then. */
  const internalErrors: unknown[] = [];

  beforeAll(async () => {
    // The server's log, in memory: the line of a request answered 500 for an unhandled error carries it as `err`.
    const serverLog = createLogger({
      level: 'error',
      destination: {
        write: (line: string) => {
          const entry = JSON.parse(line) as { err?: unknown };
          if (entry.err !== undefined) internalErrors.push(entry.err);
        },
      },
    });
    server = await startTestServer({}, { logger: serverLog });
    const site = makeSite(server.orgId);
    await server.store.insertMany('sites', [{ ...site, _deleted: false }]);
    // A second administrator for the user routes to act on, so the fuzzing session is never its own target.
    const created = await server.adminFetch(`${server.url}/api/admin/users`, {
      method: 'POST',
      headers: json,
      body: JSON.stringify({ email: 'target@outpost.test', name: 'Fuzz Target', password: 'copper-kettle-mosaic-19', memberships: [{ orgId: server.orgId, role: 'admin' }] }),
    });
    const target = ((await created.json()) as { user: { id: string } }).user.id;
    const issued = await server.adminFetch(`${server.url}/api/admin/enrollment-tokens`, { method: 'POST', headers: json, body: JSON.stringify({ siteId: site.id, expiresInHours: 24 }) });
    const token = (await issued.json()) as { id: string; token: string };
    const enrolled = await fetch(`${server.url}/api/agent/enroll`, { method: 'POST', headers: json, body: JSON.stringify({ token: token.token, hostname: 'fuzz-agent', agentVersion: '0.1.0' }) });
    const agent = (await enrolled.json()) as EnrollResponse;
    agentCredential = formatDeviceCredential(agent.deviceId, agent.deviceSecret);
    knownIds = [target, site.id, agent.deviceId, token.id, server.orgId, 'devices', 'incidents', 'runbooks'];
    cookie = server.adminCookie;
    fingerprint = new StateFingerprint(server);
    current = await fingerprint.take();
  });

  afterEach(() => {
    expect(internalErrors, 'errors the server answered 500 to').toEqual([]);
  });

  afterAll(async () => {
    const total = [...statuses.values()].reduce((a, b) => a + b, 0);
    console.log(`hostile input: ${OPERATIONS.length} operations × ${RUNS} runs = ${total} requests (${server?.engine}); statuses ${[...statuses].sort(([a], [b]) => a - b).map(([s, n]) => `${s}: ${n}`).join(', ')}`);
    fingerprint?.close();
    await server?.dispose();
  });

  it('refuses NUL and other control characters in text that meets a database column as it is (PostgreSQL text cannot hold NUL)', async () => {
    const attempts = [
      fetch(`${server.url}/api/auth/login`, { method: 'POST', headers: json, body: JSON.stringify({ email: 'nobody\u0000@outpost.test', password: 'x' }) }),
      fetch(`${server.url}/api/admin/users`, {
        method: 'POST',
        headers: { ...json, cookie },
        body: JSON.stringify({ email: 'nul@outpost.test', name: 'Null\u0000Byte', password: 'copper-kettle-mosaic-19', memberships: [{ orgId: server.orgId, role: 'staff' }] }),
      }),
    ];
    for (const response of await Promise.all(attempts)) {
      expect(response.status).toBe(400);
      expect(await response.json()).toMatchObject({ error: { code: 'invalid_input', message: expect.stringMatching(/control characters/) } });
    }
    expect(await fingerprint.take()).toBe(current);
  });

  it('answers malformed bytes in the request line and headers without a 5xx, a hang or a change', async () => {
    const port = Number(new URL(server.url).port);
    const bad = Buffer.from([0xff, 0xfe, 0xc3, 0x28]);
    const push = (head: string, body = '[]') => Buffer.from(`POST /api/sync/devices/push HTTP/1.1\r\nHost: x\r\n${head}Content-Length: ${body.length}\r\n\r\n${body}`, 'latin1');
    const cases = [
      Buffer.concat([Buffer.from('GET /api/auth/me HTTP/1.1\r\nHost: x\r\nCookie: outpost_session='), bad, Buffer.from('\r\n\r\n')]),
      Buffer.concat([Buffer.from('GET /api/sync/'), bad, Buffer.from('/pull HTTP/1.1\r\nHost: x\r\n\r\n')]),
      Buffer.concat([Buffer.from(`POST /api/sync/devices/push HTTP/1.1\r\nHost: x\r\nCookie: ${cookie}\r\nContent-Type: application/json; charset=`), bad, Buffer.from('\r\nContent-Length: 2\r\n\r\n[]')]),
      Buffer.concat([Buffer.from('POST /api/agent/ingest HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nAuthorization: Bearer '), bad, Buffer.from('.x\r\nContent-Length: 2\r\n\r\n{}')]),
      push(`Cookie: ${cookie}\r\nContent-Type: application/json\r\nContent-Length: 5\r\n`),
      Buffer.from(`POST /api/sync/devices/push HTTP/1.1\r\nHost: x\r\nCookie: ${cookie}\r\nContent-Type: application/json\r\nTransfer-Encoding: chunked\r\n\r\nzz\r\n[]\r\n0\r\n\r\n`, 'latin1'),
      Buffer.from(`GET /api/auth/me HTTP/1.1\r\nHost: x\r\nX-Big: ${'a'.repeat(70_000)}\r\n\r\n`, 'latin1'),
      Buffer.from('GET /api/auth/me HTTP/1.1\r\nHost: x\r\nX-Folded: a\r\n b\r\n\r\n', 'latin1'),
      Buffer.from('GARBAGE\r\n\r\n', 'latin1'),
    ];
    for (const bytes of cases) {
      const status = await sendRawBytes(port, bytes);
      expect(status, bytes.toString('latin1').slice(0, 80)).toBeLessThan(500);
      expect(await fingerprint.take()).toBe(current);
    }
  });

  it.each(OPERATIONS.map((operation) => [`${operation.method} ${operation.path}`, operation] as const))(
    '%s: never a 5xx, never a hang, nothing changed on a 4xx',
    async (_name, operation) => {
      await fc.assert(
        fc.asyncProperty(requestFor(operation, knownIds), async (request) => {
          const prototypeKeys = Object.getOwnPropertyNames(Object.prototype).join();
          const isAgentRoute = operation.path.startsWith('/api/agent/ingest');
          const credentials = isAgentRoute ? { authorization: `Bearer ${agentCredential}` } : { cookie };
          const answer = await sendHostile(server.url, request, request.auth === 'valid' ? credentials : request.auth === 'garbage' ? { cookie: 'outpost_session=forged', authorization: 'Bearer x.y' } : {});
          if (!answer) return;
          statuses.set(answer.status, (statuses.get(answer.status) ?? 0) + 1);
          expect(answer.status, answer.text.slice(0, 300)).toBeLessThan(500);
          expect(Object.getOwnPropertyNames(Object.prototype).join(), 'Object.prototype untouched').toBe(prototypeKeys);
          if (answer.status >= 400 || answer.status === 0) {
            if (answer.isFromApp) {
              expect(answer.json, `a readable error: ${answer.text.slice(0, 200)}`).toMatchObject({ error: { code: expect.any(String), message: expect.any(String) } });
            }
            expect(await fingerprint.take(), `state after a ${answer.status}`).toBe(current);
            return;
          }
          current = await fingerprint.take();
          // A success may have ended the fuzzing session (sign-out): sign in again.
          if ((await fetch(`${server.url}/api/auth/me`, { headers: { cookie } })).status === 401) {
            cookie = await signIn(server.url, ADMIN_EMAIL, ADMIN_PASSWORD);
            current = await fingerprint.take();
          }
        }),
        { numRuns: RUNS, seed: SEED },
      );
    },
    120_000,
  );
});
