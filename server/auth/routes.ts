import { Hono } from 'hono';
import { getCookie } from 'hono/cookie';
import * as v from 'valibot';
import type { AppEnv } from '../http/app-env.ts';
import { clientAddress } from '../http/client-address.ts';
import { ApiError, parseInput } from '../http/errors.ts';
import { readJsonBody } from '../http/json-body.ts';
import type { ServerMetrics } from '../observability/metrics.ts';
import type { Store } from '../store/store.ts';
import { recordAccountEvent } from './audit-events.ts';
import { authenticate } from './authenticate.ts';
import type { LoginThrottle } from './login-throttle.ts';
import { decoyPasswordHash, hashPassword, passwordProblem, verifyPassword } from './passwords.ts';
import { publicUser } from './public-user.ts';
import { clearSessionCookie, setSessionCookie } from './session-cookie.ts';
import { SESSION_COOKIE, type Sessions } from './sessions.ts';
import { hashToken } from './tokens.ts';
import { withoutControlCharacters } from '../http/plain-text.ts';

const LoginBody = v.strictObject({
  email: v.pipe(v.string(), v.trim(), v.minLength(3, 'is required'), v.maxLength(254), withoutControlCharacters),
  password: v.pipe(v.string(), v.minLength(1, 'is required'), v.maxLength(1024)),
});

const PasswordChangeBody = v.strictObject({
  currentPassword: v.pipe(v.string(), v.maxLength(1024)),
  newPassword: v.pipe(v.string(), v.maxLength(1024)),
});

const INVALID_CREDENTIALS = new ApiError(401, 'invalid_credentials', 'email or password is incorrect');

export function authRoutes(store: Store, sessions: Sessions, throttle: LoginThrottle, metrics?: ServerMetrics): Hono<AppEnv> {
  const routes = new Hono<AppEnv>();

  routes.post('/login', async (c) => {
    const body = parseInput('body', LoginBody, await readJsonBody(c));
    const address = clientAddress(c);
    const retryAfter = await throttle.retryAfterSeconds(body.email, address);
    if (retryAfter > 0) {
      metrics?.signInsThrottled.inc();
      c.header('Retry-After', String(retryAfter));
      throw new ApiError(429, 'too_many_attempts', `too many failed sign-ins: try again in ${retryAfter} s`);
    }
    const user = await store.users.findByEmail(body.email);
    // Verify against a decoy when the account is unknown: same time, same answer.
    const isValid = await verifyPassword(user?.passwordHash ?? (await decoyPasswordHash()), body.password);
    if (!user || !isValid || user.isDisabled) {
      metrics?.signInFailures.inc();
      await throttle.recordFailure(body.email, address);
      await recordAccountEvent(store, {
        actorKind: 'anonymous',
        actorId: user?.id ?? 'unknown',
        action: 'login_failed',
        orgIds: user?.memberships.map((m) => m.orgId) ?? [],
        clientAddress: address,
        detail: { email: body.email.slice(0, 254) },
      });
      throw INVALID_CREDENTIALS;
    }
    await throttle.recordSuccess(body.email, address);
    const token = await sessions.start(user.id, { address, userAgent: c.req.header('user-agent') });
    setSessionCookie(c, token);
    await recordAccountEvent(store, { actorKind: 'user', actorId: user.id, action: 'login', orgIds: user.memberships.map((m) => m.orgId), clientAddress: address });
    return c.json({ user: publicUser(user) });
  });

  routes.post('/logout', async (c) => {
    const token = getCookie(c, SESSION_COOKIE);
    const resolved = token ? await sessions.resolve(token) : undefined;
    if (token && resolved) {
      await sessions.end(hashToken(token), resolved.user.id);
      await recordAccountEvent(store, {
        actorKind: 'user',
        actorId: resolved.user.id,
        action: 'logout',
        orgIds: resolved.user.memberships.map((m) => m.orgId),
        clientAddress: clientAddress(c),
      });
    }
    clearSessionCookie(c);
    // Shared devices: the browser drops this origin's caches, storage and cookies (ASVS 14.3.1).
    c.header('Clear-Site-Data', '"cache", "cookies", "storage"');
    return c.body(null, 204);
  });

  routes.get('/me', authenticate(sessions), (c) => c.json({ user: publicUser(c.get('user')) }));

  routes.post('/password', authenticate(sessions), async (c) => {
    const body = parseInput('body', PasswordChangeBody, await readJsonBody(c));
    const user = c.get('user');
    if (!(await verifyPassword(user.passwordHash, body.currentPassword))) {
      throw new ApiError(403, 'invalid_credentials', 'current password is incorrect', 'body.currentPassword');
    }
    const problem = passwordProblem(body.newPassword, user.email);
    if (problem) throw new ApiError(400, 'weak_password', `newPassword ${problem}`, 'body.newPassword');
    await store.users.update(user.id, { passwordHash: await hashPassword(body.newPassword) }, Date.now());
    // Every session ends, this one included; a fresh one keeps this device signed in.
    await sessions.endAllOf(user.id);
    const token = await sessions.start(user.id, { address: clientAddress(c), userAgent: c.req.header('user-agent') });
    setSessionCookie(c, token);
    await recordAccountEvent(store, { actorKind: 'user', actorId: user.id, action: 'password_changed', orgIds: user.memberships.map((m) => m.orgId), clientAddress: clientAddress(c) });
    return c.body(null, 204);
  });

  return routes;
}
