import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { KNOWN_DEVICE_COOKIE } from '../../server/auth/known-device.ts';
import type { AuditRecord } from '../../server/store/accounts.ts';
import { signIn, startTestServer, type TestServer } from '../support/server.ts';

const json = { 'content-type': 'application/json' };
const PASSWORD = 'quarry-lantern-biscuit-73';
/** Five free failures per (account, address), and the sixth, which sets the first lock. */
const CHECKED_BEFORE_THE_LOCK = 6;

/** The name=value of a cookie the response sets. */
const cookieSet = (response: Response, name: string): string | undefined =>
  response.headers
    .getSetCookie()
    .map((header) => header.split(';')[0] ?? '')
    .find((pair) => pair.startsWith(`${name}=`));

/**
 * Runs `work` with Date.now standing still. On a loaded machine 40 parallel requests can outlast
 * the first lock (one second), and a guess admitted after a lock has ended is allowed by design:
 * with the clock still, what is left to see is whether parallel guesses slip past each other.
 */
async function withClockStopped<T>(work: () => Promise<T>): Promise<T> {
  const clock = vi.spyOn(Date, 'now').mockReturnValue(Date.now());
  try {
    return await work();
  } finally {
    clock.mockRestore();
  }
}

describe('sign-in throttling under parallel guesses', () => {
  let server: TestServer;

  beforeEach(async () => {
    server = await startTestServer();
  });

  afterEach(async () => {
    await server.dispose();
  });

  async function createAccount(email: string): Promise<string> {
    const response = await server.adminFetch(`${server.url}/api/admin/users`, {
      method: 'POST',
      headers: json,
      body: JSON.stringify({ email, name: email.split('@')[0], password: PASSWORD, memberships: [{ orgId: server.orgId, role: 'technician' }] }),
    });
    expect(response.status, await response.clone().text()).toBe(201);
    return ((await response.json()) as { user: { id: string } }).user.id;
  }

  const login = (email: string, password: string, cookie?: string) =>
    fetch(`${server.url}/api/auth/login`, { method: 'POST', headers: { ...json, ...(cookie ? { cookie } : {}) }, body: JSON.stringify({ email, password }) });
  const guessAll = async (count: number, email: (i: number) => string, cookie?: string) =>
    (await Promise.all(Array.from({ length: count }, (_, i) => login(email(i), `wrong-guess-${i}`, cookie)))).map((r) => r.status);
  const audited = async (action: string): Promise<AuditRecord[]> =>
    (await server.store.audit.list([server.orgId], 0, 1000)).filter((entry) => entry.action === action);

  it('checks at most the allowed number of 40 parallel wrong passwords, and refuses the right one while locked', async () => {
    const email = 'target@outpost.test';
    await createAccount(email);
    await withClockStopped(async () => {
      const statuses = await guessAll(40, () => email);
      const checked = statuses.filter((s) => s === 401).length;
      expect(checked).toBeGreaterThan(0);
      expect(checked, `${checked} of 40 parallel guesses reached the password check`).toBeLessThanOrEqual(CHECKED_BEFORE_THE_LOCK);
      expect(statuses.filter((s) => s === 429)).toHaveLength(40 - checked);
      const right = await login(email, PASSWORD);
      expect(right.status).toBe(429);
      expect(Number(right.headers.get('retry-after'))).toBeGreaterThanOrEqual(1);
      expect(((await right.json()) as { error: { message: string } }).error.message).toMatch(/^too many failed sign-ins: try again in \d+ s$/);
      // Every guess checked is audited; the refused ones were never checked.
      expect(await audited('login_failed')).toHaveLength(checked);
    });
  });

  it('checks exactly one of 40 parallel guesses when the account is one failure from a long lock', async () => {
    const email = 'nearly-locked@outpost.test';
    await createAccount(email);
    // Eight failures from this address within the day, the last lock over: the next failure locks for 8 s.
    const now = Date.now();
    await server.sql('INSERT INTO login_throttle (key, failures, locked_until, last_failure) VALUES (?, ?, ?, ?)', [`pair:${email}|127.0.0.1`, 8, now - 1, now - 5_000]);
    const statuses = await guessAll(40, () => email);
    expect(statuses.filter((s) => s === 401)).toHaveLength(1);
    const right = await login(email, PASSWORD);
    expect(right.status).toBe(429);
    expect(Number(right.headers.get('retry-after'))).toBeGreaterThanOrEqual(7);
  });

  it('lets another account sign in from the address an attacker guesses from', async () => {
    const victim = 'victim@outpost.test';
    const colleague = 'colleague@outpost.test';
    await createAccount(victim);
    await createAccount(colleague);
    await guessAll(40, () => victim);
    expect((await login(colleague, PASSWORD)).status).toBe(200);
  });

  it('caps failures per address per minute without locking: unknown emails sprayed from one address slow everyone there', async () => {
    const statuses = await guessAll(40, (i) => `nobody-${i}@outpost.test`);
    expect(statuses.filter((s) => s === 401)).toHaveLength(30);
    const someone = 'someone@outpost.test';
    await createAccount(someone);
    const capped = await login(someone, PASSWORD);
    expect(capped.status).toBe(429);
    expect(Number(capped.headers.get('retry-after'))).toBeLessThanOrEqual(60);
  });

  it('exempts a known device from the locks and the cap an attacker sets off', async () => {
    const owner = 'owner@outpost.test';
    await createAccount(owner);
    const first = await login(owner, PASSWORD);
    expect(first.status).toBe(200);
    const deviceCookie = cookieSet(first, KNOWN_DEVICE_COOKIE);
    expect(deviceCookie).toMatch(new RegExp(`^${KNOWN_DEVICE_COOKIE}=[A-Za-z0-9_-]{43}$`));
    const header = first.headers.getSetCookie().find((h) => h.startsWith(`${KNOWN_DEVICE_COOKIE}=`)) ?? '';
    expect(header).toMatch(/HttpOnly/);
    expect(header).toMatch(/SameSite=Strict/);
    expect(header).toMatch(/Path=\/api\/auth/);

    // An attacker at the owner's address: the (account, address) lock, the account's lock (as if
    // guessed from many addresses) and the address's cap, all at once.
    await guessAll(40, () => owner);
    await server.sql('UPDATE login_throttle SET failures = ?, locked_until = ?, last_failure = ? WHERE key = ?', [150, Date.now() + 600_000, Date.now(), `account:${owner}`]);
    await guessAll(40, (i) => `sprayed-${i}@outpost.test`);

    expect((await login(owner, PASSWORD)).status).toBe(429);
    const fromKnownDevice = await login(owner, PASSWORD, deviceCookie);
    expect(fromKnownDevice.status).toBe(200);
    // Already known: no new device cookie.
    expect(cookieSet(fromKnownDevice, KNOWN_DEVICE_COOKIE)).toBeUndefined();

    // The cookie stands for its own account only, and a wrong password from it is still counted.
    const other = 'other@outpost.test';
    await createAccount(other);
    expect((await login(other, PASSWORD, deviceCookie)).status).toBe(429);
    await withClockStopped(async () => {
      const guesses = await guessAll(40, () => owner, deviceCookie);
      expect(guesses.filter((s) => s === 401).length).toBeLessThanOrEqual(CHECKED_BEFORE_THE_LOCK);
      expect((await login(owner, PASSWORD, deviceCookie)).status).toBe(429);
    });
  });

  it('throttles and audits parallel guesses of the current password when changing it', async () => {
    const email = 'unattended@outpost.test';
    const userId = await createAccount(email);
    const cookie = await signIn(server.url, email, PASSWORD);
    const change = (currentPassword: string) =>
      fetch(`${server.url}/api/auth/password`, { method: 'POST', headers: { ...json, cookie }, body: JSON.stringify({ currentPassword, newPassword: 'a-new-and-longer-passphrase' }) });
    await withClockStopped(async () => {
      const statuses = (await Promise.all(Array.from({ length: 40 }, (_, i) => change(`guess-${i}`)))).map((r) => r.status);
      const checked = statuses.filter((s) => s === 403).length;
      expect(checked).toBeGreaterThan(0);
      expect(checked).toBeLessThanOrEqual(CHECKED_BEFORE_THE_LOCK);
      expect(statuses.filter((s) => s === 429)).toHaveLength(40 - checked);
      const failures = await audited('password_change_failed');
      expect(failures).toHaveLength(checked);
      expect(failures.every((entry) => entry.actorId === userId && entry.clientAddress === '127.0.0.1')).toBe(true);
      const right = await change(PASSWORD);
      expect(right.status).toBe(429);
      expect(Number(right.headers.get('retry-after'))).toBeGreaterThanOrEqual(1);
    });
  });
});
