import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { makeDevice, makeSite } from '../support/documents.ts';
import { startTestClient, waitFor, type TestClient } from '../support/client.ts';
import { signIn, startTestServer, type TestServer } from '../support/server.ts';

const json = { 'content-type': 'application/json' };

describe('writes the server refuses', () => {
  let server: TestServer;
  let staff: TestClient;
  const site = makeSite('00000000-0000-7000-8000-000000000000');

  beforeEach(async () => {
    server = await startTestServer();
    const storeSite = { ...site, orgId: server.orgId, _deleted: false };
    await server.store.insertMany('sites', [storeSite]);
    const created = await server.adminFetch(`${server.url}/api/admin/users`, {
      method: 'POST',
      headers: json,
      body: JSON.stringify({ email: 'store@outpost.test', name: 'Store staff', password: 'receipt-roll-change', memberships: [{ orgId: server.orgId, role: 'staff', siteIds: [site.id] }] }),
    });
    expect(created.status).toBe(201);
    staff = await startTestClient(server.url, await signIn(server.url, 'store@outpost.test', 'receipt-roll-change'), { collections: ['sites', 'devices'] });
  });

  afterEach(async () => {
    await staff.close();
    await server.dispose();
  });

  it('returns a refused edit to the server\'s state, keeps what was typed in the log, and does not retry forever', async () => {
    const device = { ...makeDevice(server.orgId, site.id, { notes: 'as installed' }), _deleted: false };
    await server.store.insertMany('devices', [device]);
    await waitFor(async () => (await staff.db.devices.findOne(device.id).exec()) !== null, 15_000, 'the device to reach staff');

    await (await staff.db.devices.findOne(device.id).exec())?.incrementalPatch({ notes: 'staff were here' });
    await waitFor(() => staff.rejections.all.length === 1, 15_000, 'the rejection');
    await waitFor(async () => (await staff.db.devices.findOne(device.id).exec())?.notes === 'as installed', 15_000, 'the local copy to return to the server state');
    const [rejection] = staff.rejections.all;
    expect(rejection).toMatchObject({ collection: 'devices', id: device.id, reason: expect.stringMatching(/read-only|staff/i) });
    expect((rejection?.rejectedState as { notes?: string }).notes).toBe('staff were here');

    const requestsAfterSettling = staff.network.requests;
    await new Promise((resolve) => setTimeout(resolve, 600));
    expect(staff.network.requests - requestsAfterSettling).toBeLessThanOrEqual(1);
    expect((await server.store.getMany('devices', [device.id]))[0]?.['notes']).toBe('as installed');
  });

  it('removes a refused new document locally and keeps it in the log', async () => {
    const device = makeDevice(server.orgId, site.id, { hostname: 'unauthorized-laptop' });
    await staff.db.devices.insert(device);
    await waitFor(() => staff.rejections.all.length === 1, 15_000, 'the rejection');
    await waitFor(async () => (await staff.db.devices.findOne(device.id).exec()) === null, 15_000, 'the local document to go');
    expect((staff.rejections.all[0]?.rejectedState as { hostname?: string }).hostname).toBe('unauthorized-laptop');
    expect(await server.store.getMany('devices', [device.id])).toEqual([]);
  });
});
