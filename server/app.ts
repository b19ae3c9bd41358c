import { Hono } from 'hono';
import { adminUserRoutes } from './admin/users-routes.ts';
import { AgentRegistry } from './agents/agent-registry.ts';
import { agentRoutes } from './agents/routes.ts';
import { adminAgentRoutes } from './admin/agent-routes.ts';
import { auditRoutes } from './admin/audit-routes.ts';
import { enrollmentTokenRoutes } from './admin/enrollment-routes.ts';
import { authenticate } from './auth/authenticate.ts';
import { LoginThrottle } from './auth/login-throttle.ts';
import { authRoutes } from './auth/routes.ts';
import { Sessions } from './auth/sessions.ts';
import type { AppEnv } from './http/app-env.ts';
import type { Drain } from './http/drain.ts';
import { ApiError, errorResponse } from './http/errors.ts';
import { limitBody } from './http/limit-body.ts';
import { originCheck } from './http/origin-check.ts';
import { noStore } from './http/no-store.ts';
import { securityHeaders } from './http/security-headers.ts';
import { openApiDocument } from './openapi/document.ts';
import type { Store } from './store/store.ts';
import { syncRoutes } from './sync/routes.ts';
import { AwarenessHub } from './collab/awareness-hub.ts';
import { awarenessRoutes } from './collab/awareness-routes.ts';

export interface AppOptions {
  store: Store;
  streamHeartbeatSeconds: number;
  /** Largest accepted request body. */
  maxBodyBytes?: number;
  /** Extra origins allowed to send state-changing requests (e.g. the Vite dev server). */
  allowedOrigins?: readonly string[];
  /** Graceful shutdown: readiness answers 503 and live streams end while it drains. */
  drain?: Drain;
  /** How often the agent registry writes heartbeat soft state. */
  agentFlushEveryMs?: number;
}

export const DEFAULT_MAX_BODY_BYTES = 8 * 1024 * 1024;

export interface OutpostApp {
  app: Hono<AppEnv>;
  sessions: Sessions;
  agents: AgentRegistry;
}

export function createApp(options: AppOptions): OutpostApp {
  const app = new Hono<AppEnv>();
  const { store } = options;
  const maxBodyBytes = options.maxBodyBytes ?? DEFAULT_MAX_BODY_BYTES;
  const sessions = new Sessions(store);
  const signedIn = authenticate(sessions);
  const agents = new AgentRegistry(store, options.agentFlushEveryMs === undefined ? {} : { flushEveryMs: options.agentFlushEveryMs });

  // Agents first: machine-to-machine, bearer-authenticated, no browser headers or cookies, and
  // the hottest path of the server (heartbeats), so it skips the browser-facing middleware.
  app.route('/api/agent', agentRoutes(store, agents));

  app.use('*', securityHeaders());
  // Readiness for load balancers: not while shutting down, and then a trivial query, not a
  // count of every document.
  app.get('/healthz', async (c) => {
    if (options.drain?.isDraining) return c.json({ status: 'draining', store: store.kind }, 503);
    try {
      await store.ping();
      return c.json({ status: 'ok', store: store.kind });
    } catch {
      return c.json({ status: 'unavailable', store: store.kind }, 503);
    }
  });
  app.get('/api/openapi.json', (c) => c.json(openApiDocument()));

  // Replicated data must not outlive a sign-out in the browser's HTTP cache (shared devices).
  app.use('/api/*', noStore);
  app.use('/api/*', limitBody(maxBodyBytes, `request body must be at most ${maxBodyBytes} bytes`));
  app.use('/api/*', originCheck(options.allowedOrigins));
  app.route('/api/auth', authRoutes(store, sessions, new LoginThrottle(store.throttle)));

  app.use('/api/sync/*', signedIn);
  app.route('/api/sync', syncRoutes(store, { heartbeatSeconds: options.streamHeartbeatSeconds, sessions, ...(options.drain ? { shutdown: options.drain.signal } : {}) }));

  app.use('/api/collab/*', signedIn);
  app.route('/api/collab', awarenessRoutes(store, new AwarenessHub(), { heartbeatSeconds: options.streamHeartbeatSeconds, ...(options.drain ? { shutdown: options.drain.signal } : {}) }));

  app.use('/api/admin/*', signedIn);
  app.route('/api/admin/users', adminUserRoutes(store, sessions));
  app.route('/api/admin/enrollment-tokens', enrollmentTokenRoutes(store));
  app.route('/api/admin/audit', auditRoutes(store));
  app.route('/api/admin/devices', adminAgentRoutes(store, agents));

  app.notFound((c) => errorResponse(c, new ApiError(404, 'not_found', `no route for ${c.req.method} ${c.req.path}`)));
  app.onError((error, c) => {
    if (error instanceof ApiError) return errorResponse(c, error);
    console.error('unhandled error', error);
    return errorResponse(c, new ApiError(500, 'internal_error', 'the server failed to handle this request'));
  });
  return { app, sessions, agents };
}
