import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { makeDevice, makeSite } from '../support/documents.ts';
import { serverSnapshot, startTestClient, waitFor, type TestClient } from '../support/client.ts';
import { startTestServer, type TestServer } from '../support/server.ts';

const collections = ['orgs', 'sites', 'devices'] as const;

describe('a push whose answer was lost after the server stored it', () => {
  let server: TestServer;
  let client: TestClient;
  /** Set: the next device push reaches the server, and its answer never comes back (the tab that sent it closes). */
  let isNextAnswerLost = false;

  beforeEach(async () => {
    server = await startTestServer();
    const baseFetch: typeof fetch = async (input, init) => {
      const response = await fetch(input, init);
      if (!isNextAnswerLost || !String(input).endsWith('/api/sync/devices/push')) return response;
      isNextAnswerLost = false;
      await response.text();
      return new Promise<Response>((_, reject) => setTimeout(() => reject(new TypeError('the tab that pushed is gone')), 3_000));
    };
    client = await startTestClient(server.url, server.adminCookie, { collections }, { baseFetch });
  });

  afterEach(async () => {
    await client.close();
    await server.dispose();
  });

  it('is pushed again on that state by the next replication: no conflict of a person with themselves', async () => {
    const site = makeSite(server.orgId);
    const device = makeDevice(server.orgId, site.id, { notes: 'original' });
    await client.db.sites.insert(site);
    await client.db.devices.insert(device);
    await waitFor(async () => (await serverSnapshot(server, 'devices')).length === 1, 15_000, 'the device on the server');

    isNextAnswerLost = true;
    await (await client.db.devices.findOne(device.id).exec())?.incrementalPatch({ notes: 'first', updatedAt: new Date().toISOString() });
    await waitFor(async () => (await serverSnapshot(server, 'devices'))[0]?.['notes'] === 'first', 15_000, 'the first note stored');
    // The tab closes before the answer arrives; the next one (a reload here) carries on.
    await client.reopen();
    await (await client.db.devices.findOne(device.id).exec())?.incrementalPatch({ notes: 'second', updatedAt: new Date().toISOString() });

    await waitFor(async () => (await serverSnapshot(server, 'devices'))[0]?.['notes'] === 'second', 15_000, 'the second note on the server');
    const [onServer] = await serverSnapshot(server, 'devices');
    expect(onServer?.['conflicts'] ?? []).toEqual([]);
    const [local] = await client.snapshot('devices');
    expect(local).toMatchObject({ notes: 'second' });
    expect(local?.['conflicts'] ?? []).toEqual([]);
  });
});
