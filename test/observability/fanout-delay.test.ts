import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { bootstrapAdmin } from '../../server/auth/bootstrap.ts';
import { loadConfig } from '../../server/config.ts';
import { startServer, type RunningServer } from '../../server/server.ts';
import type { TestSchemas } from '../../server/store/postgres/test-schemas.ts';
import { makeDevice, makeSite } from '../support/documents.ts';
import { parsePrometheusText, sampleValue, type Sample } from '../support/prometheus-text.ts';
import { fetchWithCookie, signIn } from '../support/server.ts';

const url = process.env['TEST_DATABASE_URL'];
const ADMIN = { email: 'fanout@outpost.test', password: 'two-instances-one-pool' };
const METRICS_TOKEN = 'fanout-metrics-token-0123456789';
const json = { 'content-type': 'application/json' };

/** Two instances on one PostgreSQL database: B measures how long A's writes take to reach it. */
describe.skipIf(!url || process.env['OUTPOST_TEST_STORE'] !== 'postgres')('fan-out delay and pool metrics on PostgreSQL', () => {
  let schemas: TestSchemas;
  let a: RunningServer;
  let b: RunningServer;

  beforeAll(async () => {
    const { TestSchemas: Schemas } = await import('../../server/store/postgres/test-schemas.ts');
    schemas = new Schemas(url ?? '');
    const schema = schemas.newSchema();
    const start = async () =>
      startServer(
        loadConfig({ PORT: '0', HOST: '127.0.0.1', OUTPOST_STATIC_DIR: '/nonexistent', OUTPOST_LOG_LEVEL: 'silent', OUTPOST_METRICS_TOKEN: METRICS_TOKEN }),
        await schemas.open({ schema, maxConnections: 4 }),
      );
    a = await start();
    b = await start();
  });

  afterAll(async () => {
    await a?.close();
    await b?.close();
    await schemas?.end();
  });

  const scrape = async (server: RunningServer): Promise<Sample[]> => {
    const response = await fetch(`${server.url}/metrics`, { headers: { authorization: `Bearer ${METRICS_TOKEN}` } });
    expect(response.status).toBe(200);
    return parsePrometheusText(await response.text());
  };

  it('records on one instance the delay of a write made through the other, and shows both pools', async () => {
    const fanOuts = async (server: RunningServer) => sampleValue(await scrape(server), 'outpost_sync_fanout_delay_seconds_count') ?? 0;
    await bootstrapAdmin(a.store, ADMIN);
    // Creating the organization is a write through A too: once B heard it, count from there.
    await expect.poll(() => fanOuts(b)).toBeGreaterThan(0);
    const before = await fanOuts(b);
    const orgId = (await a.store.users.findByEmail(ADMIN.email))?.memberships[0]?.orgId ?? '';
    const site = makeSite(orgId);
    await a.store.insertMany('sites', [{ ...site, _deleted: false }]);
    const asAdmin = fetchWithCookie(await signIn(a.url, ADMIN.email, ADMIN.password));
    const device = { ...makeDevice(orgId, site.id), _deleted: false };
    const pushed = await asAdmin(`${a.url}/api/sync/devices/push`, { method: 'POST', headers: json, body: JSON.stringify([{ newDocumentState: device }]) });
    expect(pushed.status).toBe(200);

    await expect.poll(() => fanOuts(b)).toBe(before + 1);
    const onB = await scrape(b);
    // Same machine, one clock: well under the two seconds the two-instance suite allows end to end.
    expect(sampleValue(onB, 'outpost_sync_fanout_delay_seconds_sum')).toBeLessThan(2 * (before + 1));
    // Seeding (insertMany) is silent, and A's own writes reach A's streams without a notification.
    expect(await fanOuts(a)).toBe(0);

    expect(sampleValue(onB, 'outpost_db_pool_connections')).toBeGreaterThan(0);
    expect(sampleValue(onB, 'outpost_db_pool_idle_connections')).toBeGreaterThanOrEqual(0);
    expect(sampleValue(onB, 'outpost_db_pool_waiting_queries')).toBe(0);
  });
});
