import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { Device, Org, Site } from '../../../shared/schema/index.ts';
import { makeDevice, makeOrg, makeSite } from '../../../test/support/documents.ts';
import { SYSTEM_PRINCIPAL, type Scope } from '../../auth/principal.ts';
import { encodeDocument } from '../document-codec.ts';
import type { StoredDocument } from '../store.ts';
import { MIGRATIONS, migrate } from './migrations.ts';
import { SqliteStore } from './sqlite-store.ts';
import { describeStoreBehaviour } from '../store-behaviour.ts';

const EVERYTHING: Scope = { kind: 'everything' };

function live(entity: Org | Site | Device): StoredDocument {
  return { ...entity, _deleted: false };
}

describe('SqliteStore on a file', () => {
  let dir: string;
  let filename: string;
  const opened: SqliteStore[] = [];
  const open = () => {
    const store = new SqliteStore({ filename });
    opened.push(store);
    return store;
  };
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'outpost-sqlite-store-'));
    filename = join(dir, 'nested', 'outpost.sqlite');
  });
  afterEach(async () => {
    for (const store of opened.splice(0)) await store.close();
    vi.restoreAllMocks();
    rmSync(dir, { recursive: true, force: true });
  });

  it('keeps documents and continues each sequence when the file is reopened', async () => {
    const org = makeOrg();
    const site = makeSite(org.id);
    const device = live(makeDevice(org.id, site.id));
    const first = open();
    await first.push(SYSTEM_PRINCIPAL, 'orgs', [{ newDocumentState: live(org) }]);
    await first.push(SYSTEM_PRINCIPAL, 'devices', [{ newDocumentState: device }]);
    await first.close();

    const second = open();
    expect(await second.pull(EVERYTHING, 'devices', {}, 100)).toEqual({ documents: [device], checkpoint: { [org.id]: 2 }, remaining: 0 });
    expect(await second.countDocuments()).toBe(2);
    // The stored master still decides conflicts after a restart.
    expect(await second.push(SYSTEM_PRINCIPAL, 'devices', [{ newDocumentState: { ...device, notes: 'x' } }])).toMatchObject({ conflicts: [device], rejected: [], written: 0 });
    await second.push(SYSTEM_PRINCIPAL, 'devices', [{ newDocumentState: live(makeDevice(org.id, site.id)) }]);
    expect((await second.pull(EVERYTHING, 'devices', { [org.id]: 2 }, 100)).checkpoint).toEqual({ [org.id]: 3 });
  });

  it('applies each migration once, so reopening and migrating again change nothing', async () => {
    await open().close();
    await open().close();
    const db = new Database(filename);
    try {
      expect(migrate(db)).toBe(0);
      const rows = db.prepare('SELECT version, name FROM schema_migrations ORDER BY version').all();
      expect(rows).toEqual(MIGRATIONS.map((m) => ({ version: m.version, name: m.name })));
    } finally {
      db.close();
    }
  });

  it('migrates documents written before writers were recorded: they keep their server time and name no writer', async () => {
    const org = makeOrg();
    const device = live(makeDevice(org.id, makeSite(org.id).id));
    const writtenAt = Date.parse('2026-01-15T10:00:00.000Z');
    mkdirSync(join(dir, 'nested'), { recursive: true });
    const db = new Database(filename);
    try {
      db.exec('CREATE TABLE schema_migrations (version INTEGER PRIMARY KEY, name TEXT NOT NULL, applied_at TEXT NOT NULL) STRICT');
      for (const migration of MIGRATIONS.filter((m) => m.version <= 5)) {
        db.exec(migration.up);
        db.prepare('INSERT INTO schema_migrations (version, name, applied_at) VALUES (?, ?, ?)').run(migration.version, migration.name, new Date().toISOString());
      }
      const encoded = encodeDocument(device);
      db.prepare('INSERT INTO org_sequences (org_id, last_seq) VALUES (?, 1)').run(org.id);
      db.prepare('INSERT INTO documents (collection, id, org_id, site_id, seq, revision, deleted, body, written_at) VALUES (?, ?, ?, ?, 1, ?, 0, ?, ?)').run(
        'devices',
        device.id,
        org.id,
        device.siteId ?? null,
        encoded.revision,
        encoded.body,
        writtenAt,
      );
    } finally {
      db.close();
    }

    const store = open();
    const result = await store.push(SYSTEM_PRINCIPAL, 'devices', [{ newDocumentState: { ...device, notes: 'x' } }]);
    expect(result).toEqual({ conflicts: [device], conflictProvenance: [{ id: device.id, writtenAt }], rejected: [], written: 0 });
  });

  it('keeps the database in WAL mode with a full fsync on every commit, also after a reopen', async () => {
    await open().close();
    // `synchronous` belongs to a connection, and a fresh connection to a WAL file defaults to
    // NORMAL in this build: read it on the store's own connection, caught as it prepares statements.
    const prepare = vi.spyOn(Database.prototype, 'prepare');
    const store = open();
    const connection = prepare.mock.contexts[0] as Database.Database | undefined;
    if (!connection) throw new Error('the store prepared no statement');
    expect(connection.pragma('synchronous', { simple: true })).toBe(2);
    expect(connection.pragma('journal_mode', { simple: true })).toBe('wal');
    await store.close();

    const reader = new Database(filename);
    try {
      expect(reader.pragma('journal_mode', { simple: true })).toBe('wal');
    } finally {
      reader.close();
    }
  });
});

// The engine-neutral behaviours, the same suite PostgreSQL runs.
describe('SqliteStore behaviour', () => {
  describeStoreBehaviour({ open: async (o) => new SqliteStore({ filename: ':memory:', ...(o?.now ? { now: o.now } : {}) }) });
});

describe('SqliteStore readiness', () => {
  it('answers a ping while open and fails it once closed', async () => {
    const store = new SqliteStore({ filename: ':memory:' });
    await expect(store.ping()).resolves.toBeUndefined();
    await store.close();
    await expect(store.ping()).rejects.toThrow();
  });
});
