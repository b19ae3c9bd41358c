import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { makeDevice, makeSite } from '../support/documents.ts';
import { ADMIN_EMAIL, startTestServer, type TestServer } from '../support/server.ts';

const json = { 'content-type': 'application/json' };

describe('push idempotency', () => {
  let server: TestServer;
  beforeEach(async () => {
    server = await startTestServer();
  });
  afterEach(async () => {
    await server.dispose();
  });

  const push = async (collection: string, rows: unknown[]) => {
    const response = await server.adminFetch(`${server.url}/api/sync/${collection}/push`, { method: 'POST', headers: json, body: JSON.stringify(rows) });
    expect(response.status).toBe(200);
    return ((await response.json()) as { conflicts: unknown[]; rejected: unknown[] }).conflicts;
  };
  const pullAll = async (collection: string) => {
    const response = await server.adminFetch(`${server.url}/api/sync/${collection}/pull?limit=2000`);
    return (await response.json()) as { documents: { id: string }[]; checkpoint: Record<string, number> };
  };

  it('changes nothing when a push is replayed after its response was lost', async () => {
    const org = { id: server.orgId };
    const site = makeSite(org.id);
    const device = makeDevice(org.id, site.id);
    const master = { ...device, _deleted: false };
    await push('devices', [{ newDocumentState: master }]);

    const edited = { ...master, assignee: 'Dana', updatedAt: new Date().toISOString() };
    const update = [{ newDocumentState: edited, assumedMasterState: master }];
    expect(await push('devices', update)).toEqual([]);
    const before = await pullAll('devices');

    // The client never saw the answer, so it sends the very same rows again, twice.
    expect(await push('devices', update)).toEqual([]);
    expect(await push('devices', update)).toEqual([]);
    const after = await pullAll('devices');
    expect(after.checkpoint).toEqual(before.checkpoint);
    expect(after.documents).toEqual(before.documents);
    expect(after.documents).toEqual([edited]);
  });

  it('replays an insert without creating a second document or a conflict', async () => {
    const org = { id: server.orgId };
    const row = [{ newDocumentState: { ...makeDevice(org.id, makeSite(org.id).id), _deleted: false } }];
    expect(await push('devices', row)).toEqual([]);
    const before = await pullAll('devices');
    expect(await push('devices', row)).toEqual([]);
    expect(await pullAll('devices')).toEqual(before);
  });

  it('answers a stale write with the current master instead of overwriting it', async () => {
    const org = { id: server.orgId };
    const device = { ...makeDevice(org.id, makeSite(org.id).id), _deleted: false };
    await push('devices', [{ newDocumentState: device }]);
    const first = { ...device, assignee: 'first writer' };
    await push('devices', [{ newDocumentState: first, assumedMasterState: device }]);
    const stale = { ...device, assignee: 'second writer' };
    expect(await push('devices', [{ newDocumentState: stale, assumedMasterState: device }])).toEqual([first]);
    expect((await pullAll('devices')).documents).toEqual([first]);
  });

  it('says beside each conflict who wrote that master and when the server accepted it', async () => {
    const org = { id: server.orgId };
    const device = { ...makeDevice(org.id, makeSite(org.id).id), _deleted: false };
    const before = Date.now();
    await push('devices', [{ newDocumentState: device }]);
    const after = Date.now();
    const response = await server.adminFetch(`${server.url}/api/sync/devices/push`, {
      method: 'POST',
      headers: json,
      body: JSON.stringify([{ newDocumentState: { ...device, assignee: 'blind write' } }]),
    });
    const answer = (await response.json()) as { conflicts: unknown[]; conflictProvenance?: { id: string; writtenAt: string; writtenBy?: unknown }[] };
    const admin = await server.store.users.findByEmail(ADMIN_EMAIL);
    expect(answer.conflicts).toEqual([device]);
    expect(answer.conflictProvenance).toEqual([{ id: device.id, writtenAt: expect.any(String), writtenBy: { kind: 'user', id: admin?.id, name: admin?.name } }]);
    const writtenAt = Date.parse(answer.conflictProvenance?.[0]?.writtenAt ?? '');
    expect(writtenAt).toBeGreaterThanOrEqual(before);
    expect(writtenAt).toBeLessThanOrEqual(after);
  });
});
