import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { uuidv7 } from '../../shared/id/uuidv7.ts';
import { RESYNC, type StreamChange } from '../../shared/sync/protocol.ts';
import { makeDevice, makeOrg, makeSite } from '../../test/support/documents.ts';
import { startTestServer, type TestServer } from '../../test/support/server.ts';
import { SseReader } from '../../test/support/sse-reader.ts';
import type { Scope } from '../auth/principal.ts';
import type { ChangeBatch, StoredDocument } from '../store/store.ts';
import { visibleChange } from './stream.ts';

const orgA = makeOrg();
const orgB = makeOrg();
const site1 = makeSite(orgA.id);
const site2 = makeSite(orgA.id);

const device1: StoredDocument = { ...makeDevice(orgA.id, site1.id), _deleted: false };
const device2: StoredDocument = { ...makeDevice(orgA.id, site2.id), _deleted: true };
const runbook: StoredDocument = { id: uuidv7(), orgId: orgA.id, title: 'Reboot the router', _deleted: false };

const devicesBatch: ChangeBatch = { collection: 'devices', orgId: orgA.id, documents: [device1, device2], seq: 42 };
const runbooksBatch: ChangeBatch = { collection: 'runbooks', orgId: orgA.id, documents: [runbook], seq: 43 };

const orgs = (...list: { orgId: string; siteIds: readonly string[] | 'all' }[]): Scope => ({ kind: 'orgs', orgs: list });

describe('visibleChange', () => {
  it('passes a whole batch to an unrestricted scope, with the organization\'s sequence as checkpoint', () => {
    expect(visibleChange({ kind: 'everything' }, devicesBatch)).toEqual({
      collection: 'devices',
      documents: [device1, device2],
      checkpoint: { [orgA.id]: 42 },
    } satisfies StreamChange);
  });

  it('passes every site of an organization scoped to all its sites', () => {
    expect(visibleChange(orgs({ orgId: orgA.id, siteIds: 'all' }), devicesBatch)?.documents).toEqual([device1, device2]);
  });

  it('hides a batch of an organization outside the scope', () => {
    expect(visibleChange(orgs({ orgId: orgB.id, siteIds: 'all' }), devicesBatch)).toBeUndefined();
    expect(visibleChange(orgs({ orgId: orgB.id, siteIds: 'all' }), runbooksBatch)).toBeUndefined();
    expect(visibleChange(orgs(), devicesBatch)).toBeUndefined();
  });

  it('keeps only the documents of the scope\'s sites in a site-scoped collection', () => {
    expect(visibleChange(orgs({ orgId: orgB.id, siteIds: 'all' }, { orgId: orgA.id, siteIds: [site2.id] }), devicesBatch)).toEqual({
      collection: 'devices',
      documents: [device2],
      checkpoint: { [orgA.id]: 42 },
    });
  });

  it('sends nothing when none of the batch\'s sites is in scope', () => {
    const elsewhere = makeSite(orgA.id);
    expect(visibleChange(orgs({ orgId: orgA.id, siteIds: [elsewhere.id] }), devicesBatch)).toBeUndefined();
    expect(visibleChange(orgs({ orgId: orgA.id, siteIds: [] }), devicesBatch)).toBeUndefined();
  });

  it('passes documents of a collection without sites to any member of the organization', () => {
    expect(visibleChange(orgs({ orgId: orgA.id, siteIds: [] }), runbooksBatch)).toEqual({
      collection: 'runbooks',
      documents: [runbook],
      checkpoint: { [orgA.id]: 43 },
    });
  });
});

describe('GET /api/sync/stream', () => {
  let server: TestServer;
  let stream: SseReader;

  beforeEach(async () => {
    server = await startTestServer({ OUTPOST_STREAM_HEARTBEAT_SECONDS: '1' });
    stream = await SseReader.open(`${server.url}/api/sync/stream`, server.adminFetch);
  });

  afterEach(async () => {
    await stream.close();
    await server.dispose();
  });

  it('starts with a RESYNC event', async () => {
    await stream.until(() => stream.events.length > 0, 5_000, 'the first event');
    expect(stream.events[0]?.data).toBe(RESYNC);
  });

  it('delivers a pushed document with the organization\'s new checkpoint', async () => {
    await stream.until(() => stream.events.length > 0, 5_000, 'RESYNC');
    const org = { id: server.orgId };
    const device = { ...makeDevice(org.id, makeSite(org.id).id), _deleted: false };
    const response = await server.adminFetch(`${server.url}/api/sync/devices/push`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify([{ newDocumentState: device }]),
    });
    expect(response.status).toBe(200);
    expect(await response.json()).toEqual({ conflicts: [], rejected: [] });

    await stream.until(() => stream.events.length > 1, 5_000, 'the change event');
    const change = stream.events.map((e) => e.data).find((d) => typeof d === 'object' && d !== null && (d as { collection?: string }).collection === 'devices');
    expect(stream.events[0]?.data).toBe(RESYNC);
    expect(change).toMatchObject({ collection: 'devices', documents: [device] });
    // The stream's checkpoint is the one a pull reaches.
    const pulled = (await (await server.adminFetch(`${server.url}/api/sync/devices/pull`)).json()) as { checkpoint: unknown };
    expect((change as { checkpoint: unknown }).checkpoint).toEqual(pulled.checkpoint);
  });

  it('sends a keep-alive comment while idle', async () => {
    await stream.until(() => stream.events.length > 0, 5_000, 'RESYNC');
    const idleSince = Date.now();
    await stream.until(() => stream.comments.some((c) => c.text === 'keep-alive'), 2_500, 'a keep-alive comment');
    expect(stream.events).toHaveLength(1);
    expect(Date.now() - idleSince).toBeLessThan(2_500);
  });
});
