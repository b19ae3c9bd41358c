import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { StoredDocument } from '../../server/store/store.ts';
import type { PullResponse } from '../../shared/sync/protocol.ts';
import { startTestClient, type TestClient } from '../support/client.ts';
import { makeDevice, makeSite } from '../support/documents.ts';
import { startTestServer, type TestServer } from '../support/server.ts';

/** Text a real fleet holds: accented names, other scripts, an emoji in a note. */
const NOTES = 'Björn Ødegård took the till to 東京 🛠; "Zoë" keeps the key \\ spare';

describe('pull answers in ASCII-only JSON', () => {
  let server: TestServer;
  let client: TestClient | undefined;

  beforeEach(async () => {
    server = await startTestServer();
  });

  afterEach(async () => {
    await client?.close();
    await server.dispose();
  });

  it('escapes non-ASCII text on the wire and the replica holds it exactly', async () => {
    const site = makeSite(server.orgId, { name: 'Malmö Centralstation' });
    const device = makeDevice(server.orgId, site.id, { assignee: 'Zoë Ñúñez', notes: NOTES });
    await server.store.insertMany('sites', [{ ...site, _deleted: false }]);
    await server.store.insertMany('devices', [{ ...device, _deleted: false } as StoredDocument]);

    const response = await fetch(`${server.url}/api/sync/devices/pull?limit=10`, { headers: { cookie: server.adminCookie } });
    const bytes = new Uint8Array(await response.arrayBuffer());
    expect(bytes.every((byte) => byte < 0x80)).toBe(true);
    const page = JSON.parse(Buffer.from(bytes).toString('utf8')) as PullResponse<typeof device>;
    expect(page.documents[0]?.notes).toBe(NOTES);

    client = await startTestClient(server.url, server.adminCookie, { collections: ['sites', 'devices'] });
    await client.sync.awaitInSync();
    const stored = (await client.db.devices.findOne(device.id).exec())?.toJSON();
    expect(stored?.notes).toBe(NOTES);
    expect(stored?.assignee).toBe('Zoë Ñúñez');
    expect((await client.db.sites.findOne(site.id).exec())?.name).toBe('Malmö Centralstation');
  });
});
