import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestServer, type TestServer } from '../support/server.ts';
import { addSite, issueEnrollmentToken } from '../agents/support/server-fixtures.ts';

describe('Cache-Control on API answers', () => {
  let server: TestServer;

  beforeAll(async () => {
    server = await startTestServer();
  });

  afterAll(async () => {
    await server.dispose();
  });

  it('keeps the enrollment answer, which carries the device secret, out of every cache', async () => {
    const { token } = await issueEnrollmentToken(server, await addSite(server));
    const response = await fetch(`${server.url}/api/agent/enroll`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ token, hostname: 'pos-07', agentVersion: '0.1.0' }),
    });
    expect(response.status).toBe(201);
    expect(((await response.json()) as { deviceSecret?: string }).deviceSecret).toBeTypeOf('string');
    expect(response.headers.get('cache-control')).toBe('no-store');
  });

  it('keeps the OpenAPI document out of every cache', async () => {
    const response = await fetch(`${server.url}/api/openapi.json`);
    expect(response.status).toBe(200);
    expect(response.headers.get('cache-control')).toBe('no-store');
  });

  it('sends no-store on agent ingest refusals and leaves the live stream its own no-cache', async () => {
    const refused = await fetch(`${server.url}/api/agent/ingest`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{}' });
    expect(refused.status).toBe(401);
    expect(refused.headers.get('cache-control')).toBe('no-store');
    const abort = new AbortController();
    const stream = await server.adminFetch(`${server.url}/api/sync/stream`, { signal: abort.signal });
    expect(stream.headers.get('cache-control')).toBe('no-cache');
    abort.abort();
  });
});
