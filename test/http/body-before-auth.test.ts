import { request, type ClientRequest, type IncomingMessage } from 'node:http';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestServer, type TestServer } from '../support/server.ts';

/**
 * Starts a chunked upload and never finishes it: resolves with the answer if the server gives
 * one while the body is still coming, or 'no answer' after `waitMs`.
 */
async function answerBeforeBodyEnds(url: string, headers: Record<string, string>, waitMs = 2_000): Promise<{ status: number; body: string } | 'no answer'> {
  let upload: ClientRequest | undefined;
  try {
    return await new Promise((resolve, reject) => {
      upload = request(url, { method: 'POST', headers: { 'content-type': 'application/json', 'transfer-encoding': 'chunked', ...headers }, agent: false }, (response: IncomingMessage) => {
        let body = '';
        response.setEncoding('utf8');
        response.on('data', (chunk: string) => (body += chunk));
        response.on('end', () => resolve({ status: response.statusCode ?? 0, body }));
      });
      upload.on('error', (error: NodeJS.ErrnoException) => (error.code === 'ECONNRESET' || error.code === 'EPIPE' ? undefined : reject(error)));
      // A quarter of a MiB of a seven-MiB body, then silence.
      upload.write(`{"padding":"${'x'.repeat(256 * 1024)}`);
      setTimeout(() => resolve('no answer'), waitMs);
    });
  } finally {
    upload?.destroy();
  }
}

describe('request bodies and authentication', () => {
  let server: TestServer;

  beforeAll(async () => {
    server = await startTestServer();
  });

  afterAll(async () => {
    await server.dispose();
  });

  it.each(['/api/sync/devices/push', '/api/collab/runbooks/0190f3a0-0000-7000-8000-000000000001/awareness', '/api/admin/users', '/api/auth/password'])(
    'answers an anonymous upload to %s with 401 before its body is through',
    async (path) => {
      const answer = await answerBeforeBodyEnds(`${server.url}${path}`, {});
      expect(answer).not.toBe('no answer');
      expect(answer).toMatchObject({ status: 401 });
    },
  );

  it('answers an agent upload with a forged credential with 401 before its body is through', async () => {
    const answer = await answerBeforeBodyEnds(`${server.url}/api/agent/ingest`, { authorization: `Bearer 0190f3a0-0000-7000-8000-000000000001.${'A'.repeat(43)}` });
    expect(answer).toMatchObject({ status: 401 });
  });

  it('keeps the one anonymous body, the sign-in, small: a larger one is refused with 413 before it is read', async () => {
    const answer = await answerBeforeBodyEnds(`${server.url}/api/auth/login`, {});
    expect(answer).toMatchObject({ status: 413 });
    const oversized = await fetch(`${server.url}/api/auth/login`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ email: 'someone@outpost.test', password: 'x'.repeat(20 * 1024) }),
    });
    expect(oversized.status).toBe(413);
    expect(((await oversized.json()) as { error: { code: string } }).error.code).toBe('body_too_large');
  });

  it('still reads a signed-in user\'s large body in full', async () => {
    const response = await server.adminFetch(`${server.url}/api/sync/devices/push`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify([]).replace(']', `${' '.repeat(2 * 1024 * 1024)}]`),
    });
    expect(response.status).toBe(200);
  });
});
