import { Hono, type Context } from 'hono';
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
import { KnownDevices } from './known-device.ts';
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

function tooManyAttempts(c: Context<AppEnv>, what: string, retryAfterSeconds: number): ApiError {
  c.header('Retry-After', String(retryAfterSeconds));
  return new ApiError(429, 'too_many_attempts', `too many ${what}: try again in ${retryAfterSeconds} s`);
}

export function authRoutes(store: Store, sessions: Sessions, throttle: LoginThrottle, metrics?: ServerMetrics): Hono<AppEnv> {
  const routes = new Hono<AppEnv>();
  const knownDevices = new KnownDevices(store.knownDevices);

  routes.post('/login', async (c) => {
    const body = parseInput('body', LoginBody, await readJsonBody(c));
    const address = clientAddress(c);
    const user = await store.users.findByEmail(body.email);
    const knownDevice = user ? await knownDevices.recognize(c, user.id) : undefined;
    // Counted before the password is checked, so parallel guesses cannot all slip past the count.
    const admission = await throttle.signIn({ email: body.email, address, knownDevice });
    if (!admission.isAdmitted) {
      metrics?.signInsThrottled.inc();
      throw tooManyAttempts(c, 'failed sign-ins', admission.retryAfterSeconds);
    }
    // Verify against a decoy when the account is unknown: same time, same answer.
    const isValid = await verifyPassword(user?.passwordHash ?? (await decoyPasswordHash()), body.password);
    if (!user || !isValid || user.isDisabled) {
      metrics?.signInFailures.inc();
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
    await admission.succeeded();
    const token = await sessions.start(user.id, { address, userAgent: c.req.header('user-agent') });
    setSessionCookie(c, token);
    if (knownDevice === undefined) await knownDevices.remember(c, user.id);
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
    const address = clientAddress(c);
    // A signed-in browser left unattended must not become a password oracle: throttled like a sign-in.
    const admission = await throttle.passwordChange(user.id);
    if (!admission.isAdmitted) throw tooManyAttempts(c, 'wrong current passwords', admission.retryAfterSeconds);
    if (!(await verifyPassword(user.passwordHash, body.currentPassword))) {
      await recordAccountEvent(store, { actorKind: 'user', actorId: user.id, action: 'password_change_failed', orgIds: user.memberships.map((m) => m.orgId), clientAddress: address });
      throw new ApiError(403, 'invalid_credentials', 'current password is incorrect', 'body.currentPassword');
    }
    await admission.succeeded();
    const problem = passwordProblem(body.newPassword, user.email);
    if (problem) throw new ApiError(400, 'weak_password', `newPassword ${problem}`, 'body.newPassword');
    await store.users.update(user.id, { passwordHash: await hashPassword(body.newPassword) }, Date.now());
    // Every session ends, this one included; a fresh one keeps this device signed in. Known
    // devices go too: whoever knew the old password may have made theirs one.
    await sessions.endAllOf(user.id);
    await knownDevices.forgetAllOf(user.id);
    const token = await sessions.start(user.id, { address, userAgent: c.req.header('user-agent') });
    setSessionCookie(c, token);
    await knownDevices.remember(c, user.id);
    await recordAccountEvent(store, { actorKind: 'user', actorId: user.id, action: 'password_changed', orgIds: user.memberships.map((m) => m.orgId), clientAddress: address });
    return c.body(null, 204);
  });

  return routes;
}
