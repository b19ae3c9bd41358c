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
  {
    version: 2,
    name: 'accounts, sessions, login throttling, enrollment tokens and the audit log',
    up: `
      CREATE TABLE users (
        id            TEXT    PRIMARY KEY,
        email         TEXT    NOT NULL UNIQUE,
        name          TEXT    NOT NULL,
        password_hash TEXT    NOT NULL,
        is_disabled   INTEGER NOT NULL DEFAULT 0,
        created_at    INTEGER NOT NULL,
        updated_at    INTEGER NOT NULL
      ) STRICT;

      CREATE TABLE memberships (
        user_id  TEXT NOT NULL REFERENCES users (id) ON DELETE CASCADE,
        org_id   TEXT NOT NULL,
        role     TEXT NOT NULL CHECK (role IN ('admin', 'manager', 'technician', 'staff')),
        site_ids TEXT,
        PRIMARY KEY (user_id, org_id)
      ) STRICT;
      CREATE INDEX memberships_by_org ON memberships (org_id, role);

      CREATE TABLE sessions (
        token_hash     TEXT    PRIMARY KEY,
        user_id        TEXT    NOT NULL REFERENCES users (id) ON DELETE CASCADE,
        created_at     INTEGER NOT NULL,
        last_seen_at   INTEGER NOT NULL,
        expires_at     INTEGER NOT NULL,
        client_address TEXT,
        user_agent     TEXT
      ) STRICT;
      CREATE INDEX sessions_by_user ON sessions (user_id);

      CREATE TABLE login_throttle (
        key          TEXT    PRIMARY KEY,
        failures     INTEGER NOT NULL,
        locked_until INTEGER NOT NULL,
        last_failure INTEGER NOT NULL
      ) STRICT;

      CREATE TABLE enrollment_tokens (
        id         TEXT    PRIMARY KEY,
        token_hash TEXT    NOT NULL UNIQUE,
        org_id     TEXT    NOT NULL,
        site_id    TEXT    NOT NULL,
        created_by TEXT    NOT NULL,
        created_at INTEGER NOT NULL,
        expires_at INTEGER NOT NULL,
        revoked_at INTEGER,
        uses       INTEGER NOT NULL DEFAULT 0
      ) STRICT;

      CREATE TABLE audit_log (
        id             INTEGER PRIMARY KEY AUTOINCREMENT,
        at             INTEGER NOT NULL,
        actor_kind     TEXT    NOT NULL,
        actor_id       TEXT    NOT NULL,
        action         TEXT    NOT NULL,
        org_id         TEXT,
        collection     TEXT,
        document_id    TEXT,
        client_address TEXT,
        detail         TEXT
      ) STRICT;
      CREATE INDEX audit_by_org ON audit_log (org_id, id);
      -- Append-only: no API can edit it, and neither can a bug.
      CREATE TRIGGER audit_log_no_update BEFORE UPDATE ON audit_log
        BEGIN SELECT RAISE(ABORT, 'the audit log is append-only'); END;
      CREATE TRIGGER audit_log_no_delete BEFORE DELETE ON audit_log
        BEGIN SELECT RAISE(ABORT, 'the audit log is append-only'); END;
    `,
  },
  {
    version: 3,
    name: 'endpoint agents: credentials, telemetry state and delivered record ids',
    up: `
      CREATE TABLE agent_devices (
        device_id           TEXT    PRIMARY KEY,
        org_id              TEXT    NOT NULL,
        site_id             TEXT    NOT NULL,
        secret_hash         TEXT    NOT NULL,
        enrollment_token_id TEXT,
        enrolled_at         INTEGER NOT NULL,
        revoked_at          INTEGER,
        last_seen_at        INTEGER,
        telemetry_state     TEXT    NOT NULL
      ) STRICT;
      CREATE INDEX agent_devices_last_seen ON agent_devices (last_seen_at);

      -- Record ids already applied: a re-sent batch changes nothing.
      CREATE TABLE agent_records (
        record_id   TEXT    PRIMARY KEY,
        device_id   TEXT    NOT NULL,
        received_at INTEGER NOT NULL
      ) STRICT, WITHOUT ROWID;
      CREATE INDEX agent_records_received ON agent_records (received_at);
    `,
  },
  {
    version: 4,
    name: 'a stamp on agent telemetry state, so server instances never overwrite a newer one',
    up: `
      ALTER TABLE agent_devices ADD COLUMN state_stamp TEXT NOT NULL DEFAULT '';
    `,
  },
  {
    version: 5,
    name: 'live collaborative-text updates by the text they edit',
    up: `
      -- Compaction counts and reads one text's live updates; the expression and the WHERE match
      -- the queries of sqlite-store.ts letter for letter, or SQLite will not use the index.
      CREATE INDEX documents_live_text_updates ON documents (json_extract(body, '$.targetId'))
        WHERE collection = 'doc_updates' AND deleted = 0;
    `,
  },
  {
    version: 6,
    name: 'who wrote each document\'s current state',
    up: `
      -- The principal whose write produced the row's state, beside written_at (server time), so
      -- a conflict can say who wrote the value it keeps. NULL: written before this version.
      ALTER TABLE documents ADD COLUMN written_by_kind TEXT CHECK (written_by_kind IN ('user', 'agent', 'system'));
      ALTER TABLE documents ADD COLUMN written_by_id TEXT;
    `,
  },
  {
    version: 7,
    name: 'throttle windows, enrollment token use limits and known devices',
    up: `
      -- Per-address caps count attempts per window (server/auth/throttle-policy.ts).
      ALTER TABLE login_throttle ADD COLUMN window_started_at INTEGER NOT NULL DEFAULT 0;
      -- NULL: no limit but the expiry.
      ALTER TABLE enrollment_tokens ADD COLUMN max_uses INTEGER CHECK (max_uses IS NULL OR max_uses > 0);
      -- Browsers someone signed in from: exempt from the per-address cap and the account lock.
      CREATE TABLE known_devices (
        token_hash TEXT    PRIMARY KEY,
        user_id    TEXT    NOT NULL REFERENCES users (id) ON DELETE CASCADE,
        created_at INTEGER NOT NULL,
        expires_at INTEGER NOT NULL
      ) STRICT;
      CREATE INDEX known_devices_by_user ON known_devices (user_id);
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
