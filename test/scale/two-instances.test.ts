import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { uuidv7 } from '../../shared/id/uuidv7.ts';
import { loadConfig } from '../../server/config.ts';
import { bootstrapAdmin } from '../../server/auth/bootstrap.ts';
import { startServer, type RunningServer } from '../../server/server.ts';
import type { TestSchemas } from '../../server/store/postgres/test-schemas.ts';
import { makeDevice, makeSite } from '../support/documents.ts';
import { fetchWithCookie, signIn } from '../support/server.ts';
import { SseReader } from '../support/sse-reader.ts';

const url = process.env['TEST_DATABASE_URL'];
const ADMIN = { email: 'scale@outpost.test', password: 'two-instances-one-database' };
const json = { 'content-type': 'application/json' };

/** Two server instances on one PostgreSQL database, as behind a load balancer. */
describe.skipIf(!url || process.env['OUTPOST_TEST_STORE'] !== 'postgres')('two server instances on one PostgreSQL', () => {
  let schemas: TestSchemas;
  let a: RunningServer;
  let b: RunningServer;
  let asAdmin: typeof fetch;
  let orgId: string;
  let siteId: string;

  beforeAll(async () => {
    const { TestSchemas: Schemas } = await import('../../server/store/postgres/test-schemas.ts');
    schemas = new Schemas(url ?? '');
    const schema = schemas.newSchema();
    const config = loadConfig({ PORT: '0', HOST: '127.0.0.1', OUTPOST_STATIC_DIR: '/nonexistent' });
    a = await startServer(config, await schemas.open({ schema, maxConnections: 6 }));
    b = await startServer(config, await schemas.open({ schema, maxConnections: 6 }));
    await bootstrapAdmin(a.store, ADMIN);
    orgId = (await a.store.users.findByEmail(ADMIN.email))?.memberships[0]?.orgId ?? '';
    // Signed in through A; the session lives in the database, so B honours it too.
    asAdmin = fetchWithCookie(await signIn(a.url, ADMIN.email, ADMIN.password));
    const site = makeSite(orgId);
    siteId = site.id;
    await a.store.insertMany('sites', [{ ...site, _deleted: false }]);
  });

  afterAll(async () => {
    await a?.close();
    await b?.close();
    await schemas?.end();
  });

  const push = async (server: RunningServer, rows: unknown[]) => {
    const response = await asAdmin(`${server.url}/api/sync/devices/push`, { method: 'POST', headers: json, body: JSON.stringify(rows) });
    expect(response.status).toBe(200);
    expect(await response.json()).toEqual({ conflicts: [], rejected: [] });
  };
  const pull = async (server: RunningServer, checkpoint: object, limit = 500) =>
    (await (await asAdmin(`${server.url}/api/sync/devices/pull?limit=${limit}&checkpoint=${encodeURIComponent(JSON.stringify(checkpoint))}`)).json()) as {
      documents: { id: string }[];
      checkpoint: Record<string, number>;
      remaining: number;
    };

  it('delivers a write made through one instance on a live stream of the other', async () => {
    const stream = await SseReader.open(`${b.url}/api/sync/stream`, asAdmin);
    try {
      const device = { ...makeDevice(orgId, siteId, { hostname: 'written-through-a' }), _deleted: false };
      const sentAt = performance.now();
      await push(a, [{ newDocumentState: device }]);
      await stream.until(() => stream.received().some((r) => r.id === device.id), 2_000, 'the write on the other instance');
      expect(performance.now() - sentAt).toBeLessThan(2_000);
    } finally {
      await stream.close();
    }
  });

  it('resumes a client on the other instance from the checkpoint it reached on the first', async () => {
    const reached = await pull(a, {}, 2000);
    const later = Array.from({ length: 5 }, () => ({ newDocumentState: { ...makeDevice(orgId, siteId), _deleted: false } }));
    await push(b, later);
    const resumed = await pull(b, reached.checkpoint);
    expect(resumed.documents.map((d) => d.id).sort()).toEqual(later.map((r) => r.newDocumentState.id).sort());
  });

  it('never lets a client skip a change while 8 pushers write through both instances', async () => {
    const pushers = 8;
    const pushesEach = 100;
    const rowsEach = 10;
    const written = new Set<string>();
    let writersDone = false;
    const writers = Array.from({ length: pushers }, async (_, p) => {
      for (let i = 0; i < pushesEach; i++) {
        const rows = Array.from({ length: rowsEach }, () => {
          const device = { ...makeDevice(orgId, siteId, { hostname: `p${p}-${i}` }), id: uuidv7(), _deleted: false };
          written.add(device.id);
          return { newDocumentState: device };
        });
        await push(p % 2 === 0 ? a : b, rows);
      }
    });
    const start = await pull(a, {}, 2000);
    const seen = new Set<string>(start.documents.map((d) => d.id));
    let checkpoint: object = start.checkpoint;
    let pulls = 0;
    const puller = (async () => {
      // Pages through alternating instances until the writers are done and nothing remains.
      for (;;) {
        // Only a pull that began after the last write committed may end the loop.
        const wereWritersDone = writersDone;
        const page = await pull(pulls++ % 2 === 0 ? a : b, checkpoint);
        for (const document of page.documents) seen.add(document.id);
        checkpoint = page.checkpoint;
        if (wereWritersDone && page.remaining === 0 && page.documents.length === 0) return;
      }
    })();
    await Promise.all(writers);
    writersDone = true;
    await puller;
    expect(written.size).toBe(pushers * pushesEach * rowsEach);
    const missing = [...written].filter((id) => !seen.has(id));
    expect(missing).toEqual([]);
    expect(pulls).toBeGreaterThan(2);
  }, 120_000);
});
