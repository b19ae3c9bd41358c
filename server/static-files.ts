import { existsSync } from 'node:fs';
import { relative } from 'node:path';
import { serveStatic } from '@hono/node-server/serve-static';
import type { Hono } from 'hono';
import type { AppEnv } from './http/app-env.ts';

/** Serves the built PWA; unknown non-API paths get the app shell so client-side routes work. */
export function serveClient(app: Hono<AppEnv>, staticDir: string): boolean {
  if (!existsSync(staticDir)) return false;
  const root = relative(process.cwd(), staticDir) || '.';
  app.use('*', serveStatic({ root }));
  app.get('*', async (c, next) => {
    if (c.req.path.startsWith('/api/')) return next();
    return serveStatic({ root, path: 'index.html' })(c, next);
  });
  return true;
}
