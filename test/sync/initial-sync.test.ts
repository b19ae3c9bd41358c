import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { PullProgress } from '../../client/sync/http-replication.ts';
import type { StoredDocument } from '../../server/store/store.ts';
import { makeDevice, makeSite } from '../support/documents.ts';
import { serverSnapshot, startTestClient, waitFor, type TestClient } from '../support/client.ts';
import { startTestServer, type TestServer } from '../support/server.ts';
import { canonicalJson } from '../../shared/merge/canonical.ts';

const DEVICE_COUNT = 10_000;
const BATCH = 500;

describe('initial sync of a large site', () => {
  let server: TestServer;
  let client: TestClient | undefined;

  beforeEach(async () => {
    server = await startTestServer();
    const org = { id: server.orgId };
    const site = makeSite(org.id);
    await server.store.insertMany('sites', [{ ...site, _deleted: false }]);
    const devices = Array.from({ length: DEVICE_COUNT }, (_, i) => ({ ...makeDevice(org.id, site.id, { hostname: `nw-dc01-srv-${i}` }), _deleted: false }));
    await server.store.insertMany('devices', devices as StoredDocument[]);
  });

  afterEach(async () => {
    await client?.close();
    await server.dispose();
  });

  it('resumes from its checkpoint after an interruption and ends complete without re-downloading', async () => {
    const firstRun: PullProgress[] = [];
    client = await startTestClient(server.url, server.adminCookie, {
      collections: ['devices'],
      pullBatchSize: BATCH,
      onPullProgress: (progress) => {
        firstRun.push(progress);
        // The link drops half-way through the first sync.
        if (progress.pulled >= DEVICE_COUNT / 2) client?.network.goOffline();
      },
    });
    await waitFor(() => client?.network.isOnline === false, 30_000, 'the first half to arrive');
    await client.sync.stop();
    const localAfterCut = await client.db.devices.count().exec();
    expect(localAfterCut).toBeGreaterThanOrEqual(DEVICE_COUNT / 2 - BATCH);
    expect(localAfterCut).toBeLessThan(DEVICE_COUNT);
    // The server told the client how much was left, page by page.
    expect(firstRun.map((p) => p.remaining)).toEqual([...firstRun.map((p) => p.remaining)].sort((x, y) => y - x));
    expect(firstRun[0]?.remaining).toBe(DEVICE_COUNT - BATCH);

    const secondRun: PullProgress[] = [];
    client.network.goOnline();
    client.restartSync({ onPullProgress: (progress) => secondRun.push(progress) });
    await client.sync.awaitInSync();

    expect(await client.db.devices.count().exec()).toBe(DEVICE_COUNT);
    const downloadedAgain = secondRun.at(-1)?.pulled ?? 0;
    expect(downloadedAgain).toBeLessThanOrEqual(DEVICE_COUNT - localAfterCut + BATCH);
    expect(secondRun.at(-1)?.remaining).toBe(0);
    expect(canonicalJson(await client.snapshot('devices'))).toBe(canonicalJson(await serverSnapshot(server, 'devices')));
  });
});
