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
import { BodyBudget } from './http/body-budget.ts';
import { limitBody } from './http/limit-body.ts';
import { useEdge } from './http/edge.ts';
import { HostPolicy, hostCheck } from './http/host-check.ts';
import { compileProxyTrust } from './http/proxy-trust.ts';
import { originCheck } from './http/origin-check.ts';
import { noStore } from './http/no-store.ts';
import { securityHeaders } from './http/security-headers.ts';
import { openApiDocument } from './openapi/document.ts';
import { defaultLogger, type Logger } from './observability/logger.ts';
import { ServerMetrics } from './observability/metrics.ts';
import { metricsRoute } from './observability/metrics-route.ts';
import { requestId } from './observability/request-id.ts';
import { requestLog } from './observability/request-log.ts';
import { requestMetrics } from './observability/request-metrics.ts';
import type { Store } from './store/store.ts';
import { syncRoutes } from './sync/routes.ts';
import { AwarenessHub } from './collab/awareness-hub.ts';
import { awarenessRoutes } from './collab/awareness-routes.ts';

export interface AppOptions {
  store: Store;
  streamHeartbeatSeconds: number;
  /** Largest accepted request body. */
  maxBodyBytes?: number;
  /** Largest sum of request bodies being read at once (bodies up to 64 KiB not counted). */
  maxBodyBytesInFlight?: number;
  /** Extra origins allowed to send state-changing requests (e.g. the Vite dev server). */
  allowedOrigins?: readonly string[];
  /** Graceful shutdown: readiness answers 503 and live streams end while it drains. */
  drain?: Drain;
  /** How often the agent registry writes heartbeat soft state. */
  agentFlushEveryMs?: number;
  /** This instance's metrics (a fresh set when absent). */
  metrics?: ServerMetrics;
  /** OUTPOST_METRICS_TOKEN: GET /metrics answers only with it (404 when absent). */
  metricsToken?: string | undefined;
  /** Request lines and errors (warnings and errors on standard error when absent). */
  logger?: Logger;
  /** OUTPOST_PUBLIC_URL's origin: the Secure cookie, the accepted Origin and Host follow it. */
  publicOrigin?: string | undefined;
  /** OUTPOST_TRUSTED_PROXIES: whose X-Forwarded-For/-Proto/-Host are believed. */
  trustedProxies?: readonly string[];
  /**
   * Host names answered to besides localhost and the machine's own addresses (or the public
   * URL's host): OUTPOST_ALLOWED_HOSTS, and the names of a local TLS certificate.
   */
  allowedHosts?: readonly string[];
  /** HOST, the listen address: a specific one is also a name the server answers to. */
  listenHost?: string;
  /** OUTPOST_RISK_ACCEPTANCE_MAX_DAYS: how far ahead a risk acceptance may run (a year when absent). */
  riskAcceptanceMaxDays?: number;
}

export const DEFAULT_MAX_BODY_BYTES = 8 * 1024 * 1024;
/** Eight largest bodies at once; past it, 503 with Retry-After. */
export const DEFAULT_MAX_BODY_BYTES_IN_FLIGHT = 8 * DEFAULT_MAX_BODY_BYTES;
/** Sign-in is the one body read before authentication: an email and a password. */
const AUTH_MAX_BODY_BYTES = 16 * 1024;

export interface OutpostApp {
  app: Hono<AppEnv>;
  sessions: Sessions;
  agents: AgentRegistry;
}

export function createApp(options: AppOptions): OutpostApp {
  const app = new Hono<AppEnv>();
  const { store } = options;
  const maxBodyBytes = options.maxBodyBytes ?? DEFAULT_MAX_BODY_BYTES;
  const bodyBudget = new BodyBudget(options.maxBodyBytesInFlight ?? DEFAULT_MAX_BODY_BYTES_IN_FLIGHT);
  const sessions = new Sessions(store);
  const signedIn = authenticate(sessions);
  const metrics = options.metrics ?? new ServerMetrics();
  const logger = options.logger ?? defaultLogger();
  const agents = new AgentRegistry(store, { logger, ...(options.agentFlushEveryMs === undefined ? {} : { flushEveryMs: options.agentFlushEveryMs }) });

  // Outermost: every request is named, logged and counted, whoever answers it.
  app.use('*', requestId(), requestLog(logger), requestMetrics(metrics));

  // Before everything, agents included: their enrollment is throttled by client address.
  app.use('*', useEdge({ publicOrigin: options.publicOrigin, trustsProxy: compileProxyTrust(options.trustedProxies ?? []) }));

  // No API answer belongs in an HTTP cache: replicated data must not outlive a sign-out on a
  // shared device, an enrolled agent's secret must not stay in a proxy, and neither should the
  // API's own description of itself (a route may choose otherwise, as the live stream does).
  app.use('/api/*', noStore);

  // Agents first: machine-to-machine, bearer-authenticated, no browser headers or cookies, and
  // the hottest path of the server (heartbeats), so it skips the browser-facing middleware (the
  // Host check too: without cookies, a rebound name gains an attacker nothing there).
  app.route('/api/agent', agentRoutes(store, agents, metrics, bodyBudget));

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
  // Before the Host check: scrapers, like balancers, come by address; the token guards it.
  app.get('/metrics', metricsRoute(metrics, options.metricsToken));
  // After /healthz (load balancers probe by address) and before everything a browser is served.
  app.use('*', hostCheck(new HostPolicy({ publicOrigin: options.publicOrigin, allowedHosts: options.allowedHosts ?? [], listenHost: options.listenHost })));
  app.get('/api/openapi.json', (c) => c.json(openApiDocument()));

  app.use('/api/*', originCheck(options.allowedOrigins));
  // A body is read only after the request is authenticated: anonymous uploads are answered 401
  // before a byte of them is taken in. Sign-in is the exception, so its limit is small.
  app.use('/api/auth/*', limitBody(AUTH_MAX_BODY_BYTES, `a sign-in request must be at most ${AUTH_MAX_BODY_BYTES} bytes`, bodyBudget));
  app.route('/api/auth', authRoutes(store, sessions, new LoginThrottle(store.throttle), metrics));

  const signedInBody = limitBody(maxBodyBytes, `request body must be at most ${maxBodyBytes} bytes`, bodyBudget);
  app.use('/api/sync/*', signedIn, signedInBody);
  app.route(
    '/api/sync',
    syncRoutes(
      store,
      { heartbeatSeconds: options.streamHeartbeatSeconds, sessions, metrics, ...(options.drain ? { shutdown: options.drain.signal } : {}) },
      options.riskAcceptanceMaxDays === undefined ? {} : { riskAcceptanceMaxDays: options.riskAcceptanceMaxDays },
    ),
  );

  app.use('/api/collab/*', signedIn, signedInBody);
  app.route('/api/collab', awarenessRoutes(store, new AwarenessHub(), { heartbeatSeconds: options.streamHeartbeatSeconds, sessions, ...(options.drain ? { shutdown: options.drain.signal } : {}) }));

  app.use('/api/admin/*', signedIn, signedInBody);
  app.route('/api/admin/users', adminUserRoutes(store, sessions));
  app.route('/api/admin/enrollment-tokens', enrollmentTokenRoutes(store));
  app.route('/api/admin/audit', auditRoutes(store));
  app.route('/api/admin/devices', adminAgentRoutes(store, agents));

  app.notFound((c) => errorResponse(c, new ApiError(404, 'not_found', `no route for ${c.req.method} ${c.req.path}`)));
  app.onError((error, c) => {
    if (error instanceof ApiError) return errorResponse(c, error);
    // Logged with its stack by requestLog, on the request's own line (Hono hands it on as c.error).
    return errorResponse(c, new ApiError(500, 'internal_error', 'the server failed to handle this request'));
  });
  return { app, sessions, agents };
}
