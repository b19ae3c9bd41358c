import { Hono } from 'hono';
import { bodyLimit } from 'hono/body-limit';
import { SYSTEM_PRINCIPAL } from './auth/principal.ts';
import type { AppEnv } from './http/app-env.ts';
import { ApiError, errorResponse } from './http/errors.ts';
import { openApiDocument } from './openapi/document.ts';
import type { Store } from './store/store.ts';
import { syncRoutes } from './sync/routes.ts';

export interface AppOptions {
  store: Store;
  streamHeartbeatSeconds: number;
  /** Largest accepted request body. */
  maxBodyBytes?: number;
}

export const DEFAULT_MAX_BODY_BYTES = 8 * 1024 * 1024;

export function createApp(options: AppOptions): Hono<AppEnv> {
  const app = new Hono<AppEnv>();
  const maxBodyBytes = options.maxBodyBytes ?? DEFAULT_MAX_BODY_BYTES;

  app.get('/healthz', async (c) => {
    await options.store.countDocuments();
    return c.json({ status: 'ok', store: options.store.kind });
  });
  app.get('/api/openapi.json', (c) => c.json(openApiDocument()));

  app.use(
    '/api/*',
    bodyLimit({
      maxSize: maxBodyBytes,
      onError: (c) => errorResponse(c, new ApiError(413, 'body_too_large', `request body must be at most ${maxBodyBytes} bytes`, 'body')),
    }),
  );
  // Until sign-in lands every caller acts with full scope; the seam is here so each store
  // call already receives a principal.
  app.use('/api/*', async (c, next) => {
    c.set('principal', SYSTEM_PRINCIPAL);
    await next();
  });
  app.route('/api/sync', syncRoutes(options.store, { heartbeatSeconds: options.streamHeartbeatSeconds }));

  app.notFound((c) => errorResponse(c, new ApiError(404, 'not_found', `no route for ${c.req.method} ${c.req.path}`)));
  app.onError((error, c) => {
    if (error instanceof ApiError) return errorResponse(c, error);
    console.error('unhandled error', error);
    return errorResponse(c, new ApiError(500, 'internal_error', 'the server failed to handle this request'));
  });
  return app;
}
