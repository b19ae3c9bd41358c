import { serve } from '@hono/node-server';
import { Hono } from 'hono';

/** The peer of the ingest benchmark: a Hono route on the same server stack that does no work. */
const app = new Hono();
app.post('/api/agent/ingest', async (c) => {
  await c.req.text();
  return c.json({ accepted: [], serverTime: new Date().toISOString() });
});
const server = serve({ fetch: app.fetch, port: 0, hostname: '127.0.0.1' }, (info) => {
  console.log(`bare hono at http://127.0.0.1:${info.port}`);
});
process.on('SIGTERM', () => server.close(() => process.exit(0)));
