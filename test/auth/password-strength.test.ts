import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { signIn, startTestServer, type TestServer } from '../support/server.ts';

const json = { 'content-type': 'application/json' };
const PASSWORD = 'spanner-and-multimeter';

interface ErrorBody {
  error: { code: string; message: string; field?: string };
}

describe('passwords with too little variety are refused, with a message that says why', () => {
  let server: TestServer;

  beforeEach(async () => {
    server = await startTestServer();
  });

  afterEach(async () => {
    await server.dispose();
  });

  const createUser = (email: string, password: string) =>
    server.adminFetch(`${server.url}/api/admin/users`, {
      method: 'POST',
      headers: json,
      body: JSON.stringify({ email, name: 'Tess Tech', password, memberships: [{ orgId: server.orgId, role: 'technician' }] }),
    });

  it('refuses "aaaaaaaa" as a new password and keeps the old one', async () => {
    expect((await createUser('tess@outpost.test', PASSWORD)).status).toBe(201);
    const cookie = await signIn(server.url, 'tess@outpost.test', PASSWORD);
    const response = await fetch(`${server.url}/api/auth/password`, {
      method: 'POST',
      headers: { ...json, cookie },
      body: JSON.stringify({ currentPassword: PASSWORD, newPassword: 'aaaaaaaa' }),
    });
    expect(response.status).toBe(400);
    expect(((await response.json()) as ErrorBody).error).toEqual({
      code: 'weak_password',
      message: 'newPassword must use at least 5 different characters (it has 1): a few unrelated words make a strong password',
      field: 'body.newPassword',
    });
    await signIn(server.url, 'tess@outpost.test', PASSWORD);
  });

  it.each([
    ['aaaaaaaa', /at least 5 different characters \(it has 1\)/],
    ['abababababab', /at least 5 different characters \(it has 2\)/],
    ['Aaaaaaaaaaaaaaa1!', /at least 5 different characters \(it has 3\)/],
    ['house7house7', /one short part repeated/],
    ['abcdefghijk', /run of consecutive characters/],
    ['98765432', /run of consecutive characters/],
  ])('refuses %s for a new account', async (password, reason) => {
    const response = await createUser('new@outpost.test', password);
    expect(response.status).toBe(400);
    const { error } = (await response.json()) as ErrorBody;
    expect(error.code).toBe('weak_password');
    expect(error.message).toMatch(reason);
  });

  it('accepts a few unrelated words', async () => {
    expect((await createUser('words@outpost.test', 'torque wrench harbour 42')).status).toBe(201);
  });
});
