import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { makeSite } from '../support/documents.ts';
import { startTestServer, type TestServer } from '../support/server.ts';

const json = { 'content-type': 'application/json' };

interface ListedToken {
  id: string;
  uses: number;
  maxUses: number | null;
}

describe('enrollment token use limits and enrollment throttling', () => {
  let server: TestServer;
  let siteId: string;

  beforeEach(async () => {
    server = await startTestServer();
    const site = makeSite(server.orgId);
    siteId = site.id;
    await server.store.insertMany('sites', [{ ...site, _deleted: false }]);
  });

  afterEach(async () => {
    await server.dispose();
  });

  async function issueToken(extra: Record<string, unknown> = {}): Promise<{ id: string; token: string; maxUses: number | null }> {
    const response = await server.adminFetch(`${server.url}/api/admin/enrollment-tokens`, { method: 'POST', headers: json, body: JSON.stringify({ siteId, expiresInHours: 24, ...extra }) });
    expect(response.status, await response.clone().text()).toBe(201);
    return (await response.json()) as { id: string; token: string; maxUses: number | null };
  }
  const enroll = (token: string, hostname = 'pos-01') =>
    fetch(`${server.url}/api/agent/enroll`, { method: 'POST', headers: json, body: JSON.stringify({ token, hostname, agentVersion: '0.1.0' }) });
  const listed = async (id: string): Promise<ListedToken | undefined> => {
    const { tokens } = (await (await server.adminFetch(`${server.url}/api/admin/enrollment-tokens`)).json()) as { tokens: ListedToken[] };
    return tokens.find((t) => t.id === id);
  };

  it('enrolls no more agents than the token allows, even in parallel, and lists its uses', async () => {
    const issued = await issueToken({ maxUses: 3 });
    expect(issued.maxUses).toBe(3);
    const statuses = (await Promise.all(Array.from({ length: 8 }, (_, i) => enroll(issued.token, `pos-${i}`)))).map((r) => r.status);
    expect(statuses.filter((s) => s === 201)).toHaveLength(3);
    expect(statuses.filter((s) => s !== 201)).toEqual(Array(5).fill(410));
    expect(await listed(issued.id)).toMatchObject({ uses: 3, maxUses: 3 });

    const refused = await enroll(issued.token);
    expect(refused.status).toBe(410);
    expect(((await refused.json()) as { error: { code: string; message: string } }).error).toMatchObject({
      code: 'token_used_up',
      message: 'enrollment token was used its 3 times: ask an admin for a new one',
    });
    const enrolled = await server.sql<{ n: number }>('SELECT COUNT(*) AS n FROM agent_devices WHERE enrollment_token_id = ?', [issued.id]);
    expect(Number(enrolled[0]?.n)).toBe(3);
  });

  it('counts the uses of a token without a limit', async () => {
    const issued = await issueToken();
    expect(issued.maxUses).toBeNull();
    for (let i = 0; i < 4; i++) expect((await enroll(issued.token, `ws-${i}`)).status).toBe(201);
    expect(await listed(issued.id)).toMatchObject({ uses: 4, maxUses: null });
  });

  it('refuses a use limit that is not a positive whole number', async () => {
    for (const maxUses of [0, -1, 2.5, '3']) {
      const response = await server.adminFetch(`${server.url}/api/admin/enrollment-tokens`, { method: 'POST', headers: json, body: JSON.stringify({ siteId, expiresInHours: 24, maxUses }) });
      expect(response.status, String(maxUses)).toBe(400);
    }
  });

  it('throttles parallel enrollments with wrong tokens from one address without holding up a correct token', async () => {
    const issued = await issueToken();
    const wrong = Array.from({ length: 30 }, (_, i) => enroll(`${'W'.repeat(40)}${String(i).padStart(3, '0')}`));
    const right = enroll(issued.token, 'pos-right');
    const statuses = (await Promise.all(wrong)).map((r) => r.status);
    expect(statuses.filter((s) => s === 401)).toHaveLength(10);
    expect(statuses.filter((s) => s === 429)).toHaveLength(20);
    expect((await right).status).toBe(201);
    // Still capped for wrong tokens, still open for the right one.
    const capped = await enroll(`${'W'.repeat(40)}999`);
    expect(capped.status).toBe(429);
    expect(Number(capped.headers.get('retry-after'))).toBeGreaterThanOrEqual(1);
    expect(Number(capped.headers.get('retry-after'))).toBeLessThanOrEqual(60);
    expect((await enroll(issued.token, 'pos-after')).status).toBe(201);
    expect(await listed(issued.id)).toMatchObject({ uses: 2 });
  });
});
