import pg from 'pg';
import { afterAll, afterEach, describe, expect, it, vi } from 'vitest';
import { uuidv7 } from '../../../shared/id/uuidv7.ts';
import type { Checkpoint } from '../../../shared/sync/checkpoint.ts';
import { makeDevice, makeOrg, makeSite } from '../../../test/support/documents.ts';
import { SYSTEM_PRINCIPAL, type Scope } from '../../auth/principal.ts';
import { encodeDocument } from '../document-codec.ts';
import type { ChangeBatch, StoredDocument } from '../store.ts';
import { MIGRATIONS, migrate } from './migrations.ts';
import type { PostgresStore } from './postgres-store.ts';
import { describeStoreBehaviour } from '../store-behaviour.ts';
import { TestSchemas } from './test-schemas.ts';

const url = process.env.TEST_DATABASE_URL ?? '';
const EVERYTHING: Scope = { kind: 'everything' };

const live = (document: object): StoredDocument => ({ ...document, _deleted: false }) as StoredDocument;

/** Polls until `check` holds, failing after `timeoutMs`. */
async function eventually(check: () => boolean | Promise<boolean>, timeoutMs: number, what: string): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 5));
  }
}

function recordBatches(store: PostgresStore): ChangeBatch[] {
  const batches: ChangeBatch[] = [];
  store.onChange((batch) => batches.push(batch));
  return batches;
}

const idsOf = (batches: readonly ChangeBatch[]) => batches.flatMap((b) => b.documents.map((d) => d.id));

describe.skipIf(!url)('PostgresStore', () => {
  const schemas = new TestSchemas(url);
  afterAll(async () => {
    await schemas.end();
  });

  describe('shared store behaviour', () => {
    describeStoreBehaviour({
      open: (options) => schemas.open(options?.now ? { now: options.now } : {}),
      cleanup: () => schemas.cleanup(),
    });
  });

  describe('on one database', () => {
    afterEach(async () => {
      vi.restoreAllMocks();
      await schemas.cleanup();
    });

    it('keeps documents and continues each sequence when reopened', async () => {
      const schema = schemas.newSchema();
      const org = makeOrg();
      const site = makeSite(org.id);
      const device = live(makeDevice(org.id, site.id));
      const first = await schemas.open({ schema });
      await first.push(SYSTEM_PRINCIPAL, 'orgs', [{ newDocumentState: live(org) }]);
      await first.push(SYSTEM_PRINCIPAL, 'devices', [{ newDocumentState: device }]);
      await first.close();

      const second = await schemas.open({ schema });
      expect(await second.pull(EVERYTHING, 'devices', {}, 100)).toEqual({ documents: [device], checkpoint: { [org.id]: 2 }, remaining: 0 });
      expect(await second.countDocuments()).toBe(2);
      expect(await second.push(SYSTEM_PRINCIPAL, 'devices', [{ newDocumentState: { ...device, notes: 'x' } }])).toMatchObject({ conflicts: [device], rejected: [], written: 0 });
      await second.push(SYSTEM_PRINCIPAL, 'devices', [{ newDocumentState: live(makeDevice(org.id, site.id)) }]);
      expect((await second.pull(EVERYTHING, 'devices', { [org.id]: 2 }, 100)).checkpoint).toEqual({ [org.id]: 3 });
    });

    it('applies each migration once, so reopening and migrating again change nothing', async () => {
      const schema = schemas.newSchema();
      await (await schemas.open({ schema })).close();
      await (await schemas.open({ schema })).close();
      expect(await migrate(url, schema)).toBe(0);
      const rows = await schemas.query(schema, 'SELECT version, name FROM schema_migrations ORDER BY version');
      expect(rows).toEqual(MIGRATIONS.map((m) => ({ version: m.version, name: m.name })));
    });

    it('migrates documents written before writers were recorded: they keep their server time and name no writer', async () => {
      const schema = schemas.newSchema();
      const org = makeOrg();
      const device = live(makeDevice(org.id, makeSite(org.id).id));
      const writtenAt = Date.parse('2026-01-15T10:00:00.000Z');
      await schemas.query(schema, `CREATE SCHEMA ${pg.escapeIdentifier(schema)}`);
      await schemas.query(schema, 'CREATE TABLE schema_migrations (version integer PRIMARY KEY, name text NOT NULL, applied_at timestamptz NOT NULL DEFAULT now())');
      for (const migration of MIGRATIONS.filter((m) => m.version <= 5)) {
        await schemas.query(schema, migration.up);
        await schemas.query(schema, 'INSERT INTO schema_migrations (version, name) VALUES ($1, $2)', [migration.version, migration.name]);
      }
      const encoded = encodeDocument(device);
      await schemas.query(schema, 'INSERT INTO org_sequences (org_id, last_seq) VALUES ($1, 1)', [org.id]);
      await schemas.query(
        schema,
        `INSERT INTO documents (collection, id, org_id, site_id, seq, revision, deleted, body, written_at) VALUES ('devices', $1, $2, $3, 1, $4, false, $5, $6)`,
        [device.id, org.id, device.siteId ?? null, encoded.revision, encoded.body, writtenAt],
      );

      const store = await schemas.open({ schema });
      const result = await store.push(SYSTEM_PRINCIPAL, 'devices', [{ newDocumentState: { ...device, notes: 'x' } }]);
      expect(result).toEqual({ conflicts: [device], conflictProvenance: [{ id: device.id, writtenAt }], rejected: [], written: 0 });
      // New writes keep to the writer kinds, though the old rows were never checked.
      await expect(schemas.query(schema, `UPDATE documents SET written_by_kind = 'robot'`)).rejects.toThrow(/documents_written_by_kind/);
    });

    it('migrates once when several instances start together on an empty schema', async () => {
      const schema = schemas.newSchema();
      const stores = await Promise.all([0, 1, 2, 3].map(() => schemas.open({ schema })));
      const rows = await schemas.query<{ version: number }>(schema, 'SELECT version FROM schema_migrations ORDER BY version');
      expect(rows.map((r) => r.version)).toEqual(MIGRATIONS.map((m) => m.version));
      // All of them work on the same tables.
      const org = makeOrg();
      await stores[0]?.push(SYSTEM_PRINCIPAL, 'orgs', [{ newDocumentState: live(org) }]);
      for (const store of stores) expect(await store.countDocuments()).toBe(1);
    });

    it('refuses to change or remove audit entries, whoever asks', async () => {
      const schema = schemas.newSchema();
      const store = await schemas.open({ schema });
      const orgId = uuidv7();
      await store.audit.append([{ at: 1, actorKind: 'system', actorId: 'system', action: 'bootstrap', orgId }]);
      for (const sql of ["UPDATE audit_log SET action = 'forged'", 'DELETE FROM audit_log', 'TRUNCATE audit_log']) {
        await expect(schemas.query(schema, sql), sql).rejects.toThrow(/append-only/);
      }
      expect((await store.audit.list([orgId], 0, 10)).map((e) => e.action)).toEqual(['bootstrap']);
    });

    it('commits writes with synchronous_commit on', async () => {
      const store = await schemas.open();
      const statements: string[] = [];
      const query = pg.Client.prototype.query;
      vi.spyOn(pg.Client.prototype, 'query').mockImplementation(function (this: pg.Client, ...args: unknown[]) {
        if (typeof args[0] === 'string') statements.push(args[0]);
        // Forwarding the caller's own arguments to the real method: its overloads cannot be named here.
        return (query as (...forwarded: unknown[]) => unknown).apply(this, args) as never;
      });
      const org = makeOrg();
      await store.push(SYSTEM_PRINCIPAL, 'orgs', [{ newDocumentState: live(org) }]);
      vi.restoreAllMocks();
      expect(statements.some((s) => s.startsWith('INSERT INTO documents'))).toBe(true);
      expect(statements.filter((s) => /synchronous_commit/i.test(s))).toEqual([]);
      const [setting] = await schemas.admin().query<{ synchronous_commit: string }>('SHOW synchronous_commit').then((r) => r.rows);
      expect(setting?.synchronous_commit).toBe('on');
    });
  });

  describe('with two instances', () => {
    afterEach(async () => {
      await schemas.cleanup();
    });

    /** Two instances on one schema (the schema last, for looking at it directly). */
    async function twoInstances(): Promise<[PostgresStore, PostgresStore, string]> {
      const schema = schemas.newSchema();
      const a = await schemas.open({ schema });
      const b = await schemas.open({ schema });
      return [a, b, schema];
    }

    it("delivers a write through one instance to the other's listeners within a second, once on each", async () => {
      const [a, b] = await twoInstances();
      const onA = recordBatches(a);
      const onB = recordBatches(b);
      const org = makeOrg();
      const device = live(makeDevice(org.id, makeSite(org.id).id));
      const started = performance.now();
      await a.push(SYSTEM_PRINCIPAL, 'devices', [{ newDocumentState: device }]);
      await eventually(() => onB.length > 0, 1000, 'the other instance to hear the write');
      const latencyMs = performance.now() - started;
      expect(latencyMs).toBeLessThan(1000);
      await new Promise((resolve) => setTimeout(resolve, 100));
      const expected = [{ collection: 'devices', orgId: org.id, documents: [device], seq: 1 }];
      expect(onA).toEqual(expected);
      expect(onB).toEqual(expected);

      // And back the other way.
      const edited = { ...device, notes: 'from b' };
      await b.push(SYSTEM_PRINCIPAL, 'devices', [{ newDocumentState: edited, assumedMasterState: device }]);
      await eventually(() => onA.length === 2, 1000, 'the first instance to hear the edit');
      expect(onA[1]).toEqual({ collection: 'devices', orgId: org.id, documents: [edited], seq: 2 });
      expect(onB).toHaveLength(2);
    });

    it('tells no listener anywhere about seeded documents, and then only about the next write', async () => {
      const [a, b] = await twoInstances();
      const onA = recordBatches(a);
      const onB = recordBatches(b);
      const org = makeOrg();
      const site = makeSite(org.id);
      await a.insertMany('devices', [live(makeDevice(org.id, site.id)), live(makeDevice(org.id, site.id))]);
      const pushed = live(makeDevice(org.id, site.id));
      await a.push(SYSTEM_PRINCIPAL, 'devices', [{ newDocumentState: pushed }]);
      await eventually(() => onB.length > 0, 1000, 'the other instance to hear the write');
      await new Promise((resolve) => setTimeout(resolve, 100));
      const expected = [{ collection: 'devices', orgId: org.id, documents: [pushed], seq: 3 }];
      expect(onA).toEqual(expected);
      expect(onB).toEqual(expected);
    });

    it('reconnects a lost listening connection and catches up with the writes it missed', async () => {
      const errors = vi.spyOn(console, 'error').mockImplementation(() => undefined);
      try {
        const [a, b] = await twoInstances();
        const onB = recordBatches(b);
        const org = makeOrg();
        const site = makeSite(org.id);
        const before = live(makeDevice(org.id, site.id));
        await a.push(SYSTEM_PRINCIPAL, 'devices', [{ newDocumentState: before }]);
        await eventually(() => onB.length === 1, 1000, 'the first write');

        const { rows } = await schemas.admin().query<{ pid: number }>('SELECT pid FROM pg_stat_activity WHERE application_name = $1', [`outpost-listener ${b.instanceId}`]);
        expect(rows).toHaveLength(1);
        await schemas.admin().query('SELECT pg_terminate_backend($1)', [rows[0]?.pid]);
        await eventually(() => !b.isListening, 2000, 'the listener to notice');
        // Written while the other instance cannot hear: no announcement reaches it.
        const missed = [live(makeDevice(org.id, site.id)), live(makeDevice(org.id, site.id))];
        await a.push(SYSTEM_PRINCIPAL, 'devices', missed.map((d) => ({ newDocumentState: d })));

        await eventually(() => b.isListening, 5000, 'the listener to reconnect');
        await eventually(() => idsOf(onB).length === 3, 2000, 'the missed writes');
        expect(onB.at(-1)).toEqual({ collection: 'devices', orgId: org.id, documents: missed, seq: 3 });

        const after = live(makeDevice(org.id, site.id));
        await a.push(SYSTEM_PRINCIPAL, 'devices', [{ newDocumentState: after }]);
        await eventually(() => idsOf(onB).length === 4, 1000, 'a write after the reconnect');
        expect(idsOf(onB)).toEqual([before.id, ...missed.map((d) => d.id), after.id]);
      } finally {
        errors.mockRestore();
      }
    });

    it('8 concurrent pushers to one organization get gap-free increasing seqs; a paging puller and both instances\' listeners miss nothing', async () => {
      const [a, b, schema] = await twoInstances();
      const heard = { a: recordBatches(a), b: recordBatches(b) };
      const org = makeOrg();
      const site = makeSite(org.id);
      const written = new Set<string>();
      const pushers = 8;
      const pushesEach = 60;
      let isWriting = true;

      const pusher = async (index: number) => {
        const store = index % 2 === 0 ? a : b;
        for (let i = 0; i < pushesEach; i++) {
          const documents = Array.from({ length: 1 + ((index + i) % 3) }, () => live(makeDevice(org.id, site.id, { hostname: `p${index}-${i}` })));
          const result = await store.push(SYSTEM_PRINCIPAL, 'devices', documents.map((d) => ({ newDocumentState: d })));
          expect(result.written).toBe(documents.length);
          for (const d of documents) written.add(d.id);
        }
      };
      const pulled: string[] = [];
      const puller = async () => {
        let checkpoint: Checkpoint = {};
        let pages = 0;
        for (;;) {
          const store = pages++ % 2 === 0 ? a : b;
          const wasWriting = isWriting;
          const page = await store.pull(EVERYTHING, 'devices', checkpoint, 7);
          pulled.push(...page.documents.map((d) => d.id));
          expect(page.checkpoint[org.id] ?? 0).toBeGreaterThanOrEqual(checkpoint[org.id] ?? 0);
          checkpoint = page.checkpoint;
          if (!wasWriting && page.remaining === 0) return { checkpoint, pages };
        }
      };
      const pulling = puller();
      await Promise.all(Array.from({ length: pushers }, (_, index) => pusher(index)));
      isWriting = false;
      const { checkpoint, pages } = await pulling;

      const total = written.size;
      expect(pages).toBeGreaterThan(10);
      expect(pulled).toHaveLength(total);
      expect(new Set(pulled)).toEqual(written);
      expect(checkpoint).toEqual({ [org.id]: total });

      const rows = await schemas.query<{ id: string; seq: number }>(schema, 'SELECT id, seq::integer AS seq FROM documents WHERE org_id = $1 ORDER BY seq', [org.id]);
      expect(rows.map((r) => r.seq)).toEqual(Array.from({ length: total }, (_, i) => i + 1));
      const seqOf = new Map(rows.map((r) => [r.id, r.seq]));
      // The puller saw changes in seq order.
      expect(pulled.map((id) => seqOf.get(id))).toEqual(rows.map((r) => r.seq));

      // Each instance's listeners heard every change once, in seq order, with checkpoints that only rise.
      for (const [name, batches] of Object.entries(heard)) {
        await eventually(() => idsOf(batches).length >= total, 5000, `instance ${name} to hear every write`);
        expect(idsOf(batches).map((id) => seqOf.get(id)), `instance ${name}`).toEqual(rows.map((r) => r.seq));
        const seqs = batches.map((batch) => batch.seq);
        expect(seqs).toEqual(seqs.toSorted((x, y) => x - y));
        expect(new Set(seqs).size).toBe(seqs.length);
      }
    });

    it('lets exactly one of many concurrent edits of one document win; the others get it back as a conflict', async () => {
      const [a, b] = await twoInstances();
      const org = makeOrg();
      const base = live(makeDevice(org.id, makeSite(org.id).id));
      await a.push(SYSTEM_PRINCIPAL, 'devices', [{ newDocumentState: base }]);
      const edits = Array.from({ length: 10 }, (_, i) => ({ ...base, notes: `edit ${i}` }));
      const results = await Promise.all(edits.map((edit, i) => (i % 2 === 0 ? a : b).push(SYSTEM_PRINCIPAL, 'devices', [{ newDocumentState: edit, assumedMasterState: base }])));
      expect(results.reduce((sum, r) => sum + r.written, 0)).toBe(1);
      const winner = edits[results.findIndex((r) => r.written === 1)];
      expect(results.filter((r) => r.written === 0).every((r) => r.conflicts.length === 1 && r.conflicts[0]?.notes === winner?.notes)).toBe(true);
      expect(await a.getMany('devices', [base.id])).toEqual([winner]);
      expect((await a.pull(EVERYTHING, 'devices', {}, 10)).checkpoint).toEqual({ [org.id]: 2 });
    });

    it('creates a document once when many first writes of it race in a new organization', async () => {
      const [a, b] = await twoInstances();
      const org = makeOrg();
      const id = uuidv7();
      const site = makeSite(org.id);
      const versions = Array.from({ length: 8 }, (_, i) => live(makeDevice(org.id, site.id, { id, hostname: `racer-${i}` })));
      const results = await Promise.all(versions.map((v, i) => (i % 2 === 0 ? a : b).push(SYSTEM_PRINCIPAL, 'devices', [{ newDocumentState: v }])));
      expect(results.reduce((sum, r) => sum + r.written, 0)).toBe(1);
      const [stored] = await a.getMany('devices', [id]);
      expect(results.filter((r) => r.written === 0).every((r) => r.conflicts[0]?.hostname === stored?.hostname)).toBe(true);
      expect((await b.pull(EVERYTHING, 'devices', {}, 10)).checkpoint).toEqual({ [org.id]: 1 });
    });

    it('serializes writers of one organization while writers and readers of another go on', async () => {
      const [a, b, schema] = await twoInstances();
      const [orgA, orgB] = [makeOrg(), makeOrg()];
      await a.push(SYSTEM_PRINCIPAL, 'orgs', [{ newDocumentState: live(orgA) }, { newDocumentState: live(orgB) }]);
      const holder = await schemas.admin().connect();
      try {
        await holder.query(`SET search_path TO ${pg.escapeIdentifier(schema)}`);
        await holder.query('BEGIN');
        await holder.query('SELECT last_seq FROM org_sequences WHERE org_id = $1 FOR UPDATE', [orgA.id]);

        let isBlockedDone = false;
        const blocked = b.push(SYSTEM_PRINCIPAL, 'orgs', [{ newDocumentState: { ...live(orgA), name: 'Renamed' }, assumedMasterState: live(orgA) }]).then((r) => {
          isBlockedDone = true;
          return r;
        });
        expect(await b.push(SYSTEM_PRINCIPAL, 'orgs', [{ newDocumentState: { ...live(orgB), name: 'Other' }, assumedMasterState: live(orgB) }])).toMatchObject({ written: 1 });
        expect((await a.pull(EVERYTHING, 'orgs', {}, 10)).documents).toHaveLength(2);
        await new Promise((resolve) => setTimeout(resolve, 200));
        expect(isBlockedDone).toBe(false);
        await holder.query('COMMIT');
        expect(await blocked).toMatchObject({ written: 1 });
      } finally {
        await holder.query('ROLLBACK').catch(() => undefined);
        holder.release();
      }
    });

    it('pages the audit log without passing an entry that commits late', async () => {
      const [a, b] = await twoInstances();
      const orgId = uuidv7();
      let isWriting = true;
      const appended = new Set<string>();
      const appender = async (index: number) => {
        for (let i = 0; i < 40; i++) {
          const documentId = `${index}-${i}`;
          await (index % 2 === 0 ? a : b).audit.append([{ at: i, actorKind: 'system', actorId: 'system', action: 'test', orgId, documentId }]);
          appended.add(documentId);
        }
      };
      const listed: string[] = [];
      const lister = async () => {
        let cursor = 0;
        for (;;) {
          const wasWriting = isWriting;
          const page = await a.audit.list([orgId], cursor, 5);
          listed.push(...page.map((e) => e.documentId ?? ''));
          cursor = page.at(-1)?.id ?? cursor;
          if (!wasWriting && page.length === 0) return;
        }
      };
      const listing = lister();
      await Promise.all(Array.from({ length: 8 }, (_, index) => appender(index)));
      isWriting = false;
      await listing;
      expect(listed).toHaveLength(appended.size);
      expect(new Set(listed)).toEqual(appended);
    });
  });
});
