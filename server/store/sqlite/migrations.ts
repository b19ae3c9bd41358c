import type Database from 'better-sqlite3';

export interface Migration {
  version: number;
  name: string;
  up: string;
}

/** Append only: a released migration is never edited, a change is a new version. */
export const MIGRATIONS: readonly Migration[] = [
  {
    version: 1,
    name: 'documents and per-organization change sequences',
    up: `
      CREATE TABLE org_sequences (
        org_id   TEXT PRIMARY KEY,
        last_seq INTEGER NOT NULL
      ) STRICT;

      CREATE TABLE documents (
        collection TEXT    NOT NULL,
        id         TEXT    NOT NULL,
        org_id     TEXT    NOT NULL,
        site_id    TEXT,
        seq        INTEGER NOT NULL,
        revision   TEXT    NOT NULL,
        deleted    INTEGER NOT NULL,
        body       TEXT    NOT NULL,
        written_at INTEGER NOT NULL,
        PRIMARY KEY (collection, id)
      ) STRICT, WITHOUT ROWID;

      CREATE UNIQUE INDEX documents_by_change ON documents (org_id, collection, seq);
      CREATE UNIQUE INDEX documents_by_org_seq ON documents (org_id, seq);
      CREATE INDEX documents_tombstones ON documents (written_at) WHERE deleted = 1;

      CREATE TABLE tombstone_purges (
        org_id     TEXT    NOT NULL,
        collection TEXT    NOT NULL,
        purged_seq INTEGER NOT NULL,
        PRIMARY KEY (org_id, collection)
      ) STRICT;
    `,
  },
];

export function migrate(db: Database.Database): number {
  db.exec(`CREATE TABLE IF NOT EXISTS schema_migrations (
    version    INTEGER PRIMARY KEY,
    name       TEXT    NOT NULL,
    applied_at TEXT    NOT NULL
  ) STRICT`);
  const applied = new Set(
    db.prepare('SELECT version FROM schema_migrations').pluck().all() as number[],
  );
  let count = 0;
  for (const migration of MIGRATIONS) {
    if (applied.has(migration.version)) continue;
    db.transaction(() => {
      db.exec(migration.up);
      db.prepare('INSERT INTO schema_migrations (version, name, applied_at) VALUES (?, ?, ?)').run(
        migration.version,
        migration.name,
        new Date().toISOString(),
      );
    }).immediate();
    count++;
  }
  return count;
}
