import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { AgentRecord } from '../../shared/agent/protocol.ts';
import { ManualClock } from '../clock.ts';
import { Outbox } from '../outbox/outbox.ts';
import { openAgentDatabase, type AgentDatabase } from '../state/database.ts';
import { AgentMemory } from '../state/memory.ts';
import { FakeServer, ingestLikeOutpost, type FakeHandler, type RecordedRequest } from '../testing/fake-server.ts';
import { checkAt, heartbeatAt, inventoryAt } from '../testing/records.ts';
import { DELIVERY_MEMORY_KEY, DeliveryMemory, deliverPending, type DeliveryOutcome } from './deliver.ts';
import { httpIngestClient } from './ingest-client.ts';

const T0 = Date.parse('2026-03-02T10:00:00Z');
const DEVICE_ID = '0190f3a0-0000-7000-8000-000000000001';
const SECRET = 'abcdefghijklmnopqrstuvwxyz012345';

describe('delivery to the ingest endpoint', () => {
  let dir: string;
  let db: AgentDatabase;
  let outbox: Outbox;
  let memory: AgentMemory;
  let server: FakeServer;
  let stored: Map<string, unknown>;
  const clock = new ManualClock(T0);

  beforeEach(async () => {
    dir = mkdtempSync(join(tmpdir(), 'outpost-agent-deliver-'));
    db = openAgentDatabase(join(dir, 'outbox.sqlite'));
    outbox = new Outbox(db);
    memory = new AgentMemory(db);
    stored = new Map();
    server = await FakeServer.start(ingestLikeOutpost(stored));
    clock.set(T0);
  });
  afterEach(async () => {
    await server.close();
    db.close();
    rmSync(dir, { recursive: true, force: true });
  });

  const deliver = (overrides: { server?: string } = {}): Promise<DeliveryOutcome> =>
    deliverPending({
      outbox,
      memory,
      clock,
      agentVersion: '0.1.0',
      client: httpIngestClient({ server: overrides.server ?? server.url, deviceId: DEVICE_ID, deviceSecret: SECRET, clock, timeoutMs: 5_000 }),
    });
  const idsOf = (request: RecordedRequest | undefined) => ((request?.body as { records: AgentRecord[] } | undefined)?.records ?? []).map((r) => r.id);

  it('posts the batch with the bearer credential and empties the outbox', async () => {
    const records = [heartbeatAt(T0), inventoryAt(T0), checkAt(T0, 'warning')];
    outbox.enqueue(records);
    const outcome = await deliver();
    expect(outcome).toMatchObject({ delivered: 3, batches: 1, remaining: 0, failure: undefined });
    expect(server.requests).toHaveLength(1);
    const request = server.requests[0];
    expect(request).toMatchObject({ method: 'POST', path: '/api/agent/ingest', body: { agentVersion: '0.1.0', records } });
    expect(request?.headers['authorization']).toBe(`Bearer ${DEVICE_ID}.${SECRET}`);
    expect(request?.headers['content-type']).toBe('application/json');
  });

  it('deletes only what the server lists as accepted', async () => {
    const records = [heartbeatAt(T0), checkAt(T0, 'ok'), checkAt(T0 + 1, 'warning')];
    outbox.enqueue(records);
    server.handler = () => ({ status: 200, body: { accepted: [records[1]!.id], serverTime: new Date().toISOString() } });
    const outcome = await deliver();
    expect(outcome.delivered).toBe(1);
    // The second batch carries the two left and is acknowledged with nothing: a refusal, not a loop.
    expect(outcome.failure?.message).toBe('the server accepted none of 2 records');
    expect(outbox.records()).toEqual([records[0], records[2]]);
  });

  it('splits a long outbox into batches of at most 500 records and under 1 MiB', async () => {
    outbox.enqueue(Array.from({ length: 1_200 }, (_, i) => checkAt(T0 + i, i % 2 ? 'ok' : 'warning', 'memory_pressure')));
    const outcome = await deliver();
    expect(outcome).toMatchObject({ delivered: 1_200, batches: 3, remaining: 0 });
    expect(server.requests.map((r) => idsOf(r).length)).toEqual([500, 500, 200]);
    for (const request of server.requests) expect(Buffer.byteLength(JSON.stringify(request.body))).toBeLessThan(1024 * 1024);
  });

  it('retries after server errors and a dropped connection, losing nothing and duplicating nothing', async () => {
    const records = Array.from({ length: 30 }, (_, i) => checkAt(T0 + i, i % 2 ? 'ok' : 'critical'));
    outbox.enqueue(records);
    const answers: ReturnType<FakeHandler>[] = [{ status: 503, body: { error: { code: 'unavailable', message: 'down for maintenance' } } }, 'hang-up'];
    const succeed = ingestLikeOutpost(stored);
    server.handler = (request, index) => answers[index] ?? succeed(request, index);

    const first = await deliver();
    expect(first.failure).toMatchObject({ kind: 'server_error', mayHaveReachedServer: true });
    expect(first.failure?.message).toContain('HTTP 503');
    const second = await deliver();
    expect(second.failure).toMatchObject({ kind: 'unreachable', mayHaveReachedServer: true });
    const third = await deliver();
    expect(third).toMatchObject({ delivered: 30, remaining: 0, failure: undefined });

    expect(server.requests.map(idsOf)).toEqual([records.map((r) => r.id), records.map((r) => r.id), records.map((r) => r.id)]);
    expect([...stored.keys()]).toEqual(records.map((r) => r.id));
  });

  it('re-sends under the same ids when the acknowledgement was lost, so the server applies them once', async () => {
    const first = heartbeatAt(T0);
    outbox.enqueue([first]);
    const accept = ingestLikeOutpost(stored);
    server.handler = (request, index) => {
      accept(request, index);
      return index === 0 ? 'hang-up' : accept(request, index);
    };
    expect((await deliver()).failure).toMatchObject({ kind: 'unreachable', mayHaveReachedServer: true });
    // A heartbeat the server may hold is not folded into a later one of the same hour: its
    // content would change under an id the server already has.
    const second = heartbeatAt(T0 + 60_000);
    outbox.enqueue([second]);
    expect((await deliver()).delivered).toBe(2);
    expect(server.requests.map(idsOf)).toEqual([[first.id], [first.id, second.id]]);
    expect([...stored.values()]).toEqual([first, second]);
  });

  it('gives the server message for a refused credential and keeps every record', async () => {
    const records = [heartbeatAt(T0), heartbeatAt(T0 + 3_600_000)];
    outbox.enqueue(records);
    server.handler = () => ({ status: 401, body: { error: { code: 'agent_unauthenticated', message: 'the device credential is not valid: enroll this agent again' } } });
    const outcome = await deliver();
    expect(outcome.failure).toEqual({ kind: 'credential_refused', message: 'the device credential is not valid: enroll this agent again', mayHaveReachedServer: false });
    expect(outbox.records()).toEqual(records);
    // Provably never applied: still free to fold.
    expect(outbox.oldest({ maxRecords: 10, maxBytes: 1e6 }).every((r) => !r.maybeDelivered)).toBe(true);
    expect(memory.read(DELIVERY_MEMORY_KEY, DeliveryMemory, {}).lastResult).toEqual({
      ok: false,
      message: 'the device credential is not valid: enroll this agent again; 2 waiting in the outbox',
    });
  });

  it('says "connection refused" when the server is down, and keeps the records foldable', async () => {
    const deadUrl = server.url;
    await server.close();
    outbox.enqueue([heartbeatAt(T0)]);
    const outcome = await deliver({ server: deadUrl });
    expect(outcome.failure).toEqual({ kind: 'unreachable', message: `cannot reach ${deadUrl}: connection refused`, mayHaveReachedServer: false });
    outbox.enqueue([heartbeatAt(T0 + 60_000)]);
    expect(outbox.compact(clock.now()).foldedHeartbeats).toBe(1);
  });

  it('measures clock skew against the Date header of each answer', async () => {
    outbox.enqueue([heartbeatAt(T0)]);
    const accept = ingestLikeOutpost(stored);
    server.handler = (request, index) => {
      const answer = accept(request, index);
      return answer === 'hang-up' ? answer : { ...answer, headers: { date: new Date(T0 - 5 * 60_000).toUTCString() } };
    };
    await deliver();
    const remembered = memory.read(DELIVERY_MEMORY_KEY, DeliveryMemory, {});
    expect(remembered.clockSkewMs).toBe(5 * 60_000 - 500);
    expect(remembered).toMatchObject({ lastSuccessAtMs: T0, lastResult: { ok: true, message: 'delivered 1 record in 1 batch; 0 waiting in the outbox' } });
  });

  it('starts no new batch once asked to stop', async () => {
    outbox.enqueue(Array.from({ length: 600 }, (_, i) => checkAt(T0 + i, 'ok', 'firewall')));
    let asked = 0;
    const outcome = await deliverPending({
      outbox,
      memory,
      clock,
      agentVersion: '0.1.0',
      client: httpIngestClient({ server: server.url, deviceId: DEVICE_ID, deviceSecret: SECRET, clock }),
      shouldStop: () => asked++ > 0,
    });
    expect(outcome).toMatchObject({ delivered: 500, batches: 1, remaining: 100, stopped: true });
  });

  /** Refuses every batch that holds one of `poison` with `answer`, and accepts the others as Outpost does. */
  const refusing = (poison: ReadonlySet<string>, answer: { status: number; body: unknown }): FakeHandler => {
    const accept = ingestLikeOutpost(stored);
    return (request, index) => (idsOf(request).some((id) => poison.has(id)) ? answer : accept(request, index));
  };

  it.each([
    [422, 'device_write_refused', "the server refused this device's update: an agent writes only its own device: these records cannot be applied"],
    [400, 'invalid_input', 'body.records.0.message: Invalid length'],
  ])('narrows a batch refused with %i %s down to the refused record, drops it, and delivers the rest', async (status, code, message) => {
    const records = Array.from({ length: 40 }, (_, i) => checkAt(T0 + i, i % 2 ? 'ok' : 'warning', 'pending_updates'));
    outbox.enqueue(records);
    const poison = records[29]!;
    server.handler = refusing(new Set([poison.id]), { status, body: { error: { code, message } } });

    const outcome = await deliver();
    expect(outcome).toMatchObject({ delivered: 39, remaining: 0, failure: undefined, dropped: [{ id: poison.id, reason: expect.stringContaining(message) }] });
    expect([...stored.keys()]).toEqual(records.filter((r) => r !== poison).map((r) => r.id));
    // A handful of requests to find it, not one per record.
    expect(server.requests.length).toBeLessThanOrEqual(2 * Math.ceil(Math.log2(records.length)) + 2);
    expect(memory.read(DELIVERY_MEMORY_KEY, DeliveryMemory, {}).lastResult?.message).toMatch(/dropped 1 record the server refused/);
  });

  it('sends fewer records at a time after a 413, and delivers them all', async () => {
    const records = Array.from({ length: 100 }, (_, i) => checkAt(T0 + i, i % 2 ? 'ok' : 'critical', 'firewall'));
    outbox.enqueue(records);
    const accept = ingestLikeOutpost(stored);
    // A proxy in front of the server takes at most 30 records' worth.
    server.handler = (request, index) =>
      idsOf(request).length > 30 ? { status: 413, body: { error: { code: 'body_too_large', message: 'request body too large' } } } : accept(request, index);
    const outcome = await deliver();
    expect(outcome).toMatchObject({ delivered: 100, remaining: 0, failure: undefined, dropped: [] });
    expect([...stored.keys()]).toEqual(records.map((r) => r.id));
  });

  it.each([
    [400, { error: { code: 'invalid_body', message: 'the request body could not be read to its end' } }],
    [400, undefined],
    [429, { error: { code: 'too_many_attempts', message: 'slow down' } }],
    [503, { error: { code: 'server_busy', message: 'send this one again shortly' } }],
    [503, { error: { code: 'device_state_busy', message: 'send the batch again' } }],
  ])('keeps every record and tries again later after %i %j', async (status, body) => {
    const records = [checkAt(T0, 'critical'), heartbeatAt(T0 + 1)];
    outbox.enqueue(records);
    server.handler = () => ({ status, body });
    const outcome = await deliver();
    expect(outcome.failure).toBeDefined();
    expect(outcome.dropped).toEqual([]);
    expect(outbox.records()).toEqual(records);
    expect(server.requests).toHaveLength(1);
  });
});
