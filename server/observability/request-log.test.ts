import { Hono } from 'hono';
import { describe, expect, it } from 'vitest';
import type { AppEnv } from '../http/app-env.ts';
import { ApiError, errorResponse } from '../http/errors.ts';
import { createLogger } from './logger.ts';
import { requestId } from './request-id.ts';
import { requestLog } from './request-log.ts';

/** An app with the request middlewares and an onError like the server's, logging into memory. */
function loggedApp() {
  const written: string[] = [];
  const logger = createLogger({ level: 'info', destination: { write: (chunk: string) => void written.push(chunk) } });
  const app = new Hono<AppEnv>();
  app.use('*', requestId(), requestLog(logger));
  app.get('/boom/:id', () => {
    throw new Error('the database went away');
  });
  app.get('/busy', () => {
    throw new ApiError(503, 'device_state_busy', 'send the batch again');
  });
  app.get('/fine', (c) => c.json({ ok: true }));
  app.onError((error, c) => errorResponse(c, error instanceof ApiError ? error : new ApiError(500, 'internal_error', 'the server failed')));
  const lines = () => written.join('').split('\n').filter((line) => line !== '').map((line) => JSON.parse(line) as Record<string, unknown>);
  return { app, lines };
}

describe('requestLog', () => {
  it('logs an unhandled error on its request line, at level error, with its message and stack', async () => {
    const { app, lines } = loggedApp();
    const response = await app.request('/boom/0190a3c4-0000-7000-8000-000000000001');
    expect(response.status).toBe(500);
    const [line] = lines();
    expect(line).toMatchObject({ level: 'error', route: '/boom/:id', status: 500, requestId: response.headers.get('x-request-id') });
    expect(line?.['err']).toMatchObject({ type: 'Error', message: 'the database went away', stack: expect.stringContaining('request-log.test.ts') });
    expect(JSON.stringify(line)).not.toContain('0190a3c4');
  });

  it('logs a 5xx the server answers on purpose at level warn, with its code and message', async () => {
    const { app, lines } = loggedApp();
    expect((await app.request('/busy')).status).toBe(503);
    expect(lines()).toEqual([expect.objectContaining({ level: 'warn', status: 503, error: { code: 'device_state_busy', message: 'send the batch again' } })]);
  });

  it('logs other requests at level info, without error fields', async () => {
    const { app, lines } = loggedApp();
    await app.request('/fine');
    const [line] = lines();
    expect(line).toMatchObject({ level: 'info', msg: 'request', method: 'GET', route: '/fine', status: 200, clientAddress: 'unknown' });
    expect(line).not.toHaveProperty('err');
    expect(line).not.toHaveProperty('userId');
  });
});
