import pg from 'pg';
import { advisoryKey, clientConfig } from './connection.ts';

export interface Migration {
  version: number;
  name: string;
  up: string;
}

/**
 * Append only: a released migration is never edited, a change is a new version. Versions and
 * names match SQLite's (server/store/sqlite/migrations.ts), so one list of changes describes both.
 * Ids and keys are COLLATE "C": byte order, as SQLite sorts them, and no locale surprises.
 * Bodies are the canonical JSON text the revision hashes (jsonb would reorder keys and refuse
 * \u0000), and nothing queries inside them.
 */
export const MIGRATIONS: readonly Migration[] = [
  {
    version: 1,
    name: 'documents and per-organization change sequences',
    up: `
      CREATE TABLE org_sequences (
        org_id   text COLLATE "C" PRIMARY KEY,
        last_seq bigint NOT NULL
      );

      CREATE TABLE documents (
        collection text COLLATE "C" NOT NULL,
        id         text COLLATE "C" NOT NULL,
        org_id     text COLLATE "C" NOT NULL,
        site_id    text COLLATE "C",
        seq        bigint  NOT NULL,
        revision   text    NOT NULL,
        deleted    boolean NOT NULL,
        body       text    NOT NULL,
        written_at bigint  NOT NULL,
        PRIMARY KEY (collection, id)
      );

      CREATE UNIQUE INDEX documents_by_change ON documents (org_id, collection, seq);
      CREATE UNIQUE INDEX documents_by_org_seq ON documents (org_id, seq);
      CREATE INDEX documents_tombstones ON documents (written_at) WHERE deleted;

      CREATE TABLE tombstone_purges (
        org_id     text COLLATE "C" NOT NULL,
        collection text COLLATE "C" NOT NULL,
        purged_seq bigint NOT NULL,
        PRIMARY KEY (org_id, collection)
      );
    `,
  },
  {
    version: 2,
    name: 'accounts, sessions, login throttling, enrollment tokens and the audit log',
    up: `
      CREATE TABLE users (
        id            text COLLATE "C" PRIMARY KEY,
        email         text COLLATE "C" NOT NULL UNIQUE,
        name          text    NOT NULL,
        password_hash text    NOT NULL,
        is_disabled   boolean NOT NULL DEFAULT false,
        created_at    bigint  NOT NULL,
        updated_at    bigint  NOT NULL
      );

      CREATE TABLE memberships (
        user_id  text COLLATE "C" NOT NULL REFERENCES users (id) ON DELETE CASCADE,
        org_id   text COLLATE "C" NOT NULL,
        role     text NOT NULL CHECK (role IN ('admin', 'manager', 'technician', 'staff')),
        -- NULL: every site of the organization.
        site_ids text[],
        PRIMARY KEY (user_id, org_id)
      );
      CREATE INDEX memberships_by_org ON memberships (org_id, role);

      CREATE TABLE sessions (
        token_hash     text COLLATE "C" PRIMARY KEY,
        user_id        text COLLATE "C" NOT NULL REFERENCES users (id) ON DELETE CASCADE,
        created_at     bigint NOT NULL,
        last_seen_at   bigint NOT NULL,
        expires_at     bigint NOT NULL,
        client_address text,
        user_agent     text
      );
      CREATE INDEX sessions_by_user ON sessions (user_id);

      CREATE TABLE login_throttle (
        key          text COLLATE "C" PRIMARY KEY,
        failures     bigint NOT NULL,
        locked_until bigint NOT NULL,
        last_failure bigint NOT NULL
      );

      CREATE TABLE enrollment_tokens (
        id         text COLLATE "C" PRIMARY KEY,
        token_hash text COLLATE "C" NOT NULL UNIQUE,
        org_id     text COLLATE "C" NOT NULL,
        site_id    text COLLATE "C" NOT NULL,
        created_by text   NOT NULL,
        created_at bigint NOT NULL,
        expires_at bigint NOT NULL,
        revoked_at bigint,
        uses       bigint NOT NULL DEFAULT 0
      );

      CREATE TABLE audit_log (
        id             bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
        at             bigint NOT NULL,
        actor_kind     text   NOT NULL,
        actor_id       text   NOT NULL,
        action         text   NOT NULL,
        org_id         text COLLATE "C",
        collection     text,
        document_id    text,
        client_address text,
        detail         text
      );
      CREATE INDEX audit_by_org ON audit_log (org_id, id);

      -- Append-only: no API can edit it, and neither can a bug.
      CREATE FUNCTION audit_log_is_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
        BEGIN
          RAISE EXCEPTION 'the audit log is append-only' USING ERRCODE = 'restrict_violation';
        END;
      $$;
      CREATE TRIGGER audit_log_no_update BEFORE UPDATE ON audit_log
        FOR EACH ROW EXECUTE FUNCTION audit_log_is_append_only();
      CREATE TRIGGER audit_log_no_delete BEFORE DELETE ON audit_log
        FOR EACH ROW EXECUTE FUNCTION audit_log_is_append_only();
      CREATE TRIGGER audit_log_no_truncate BEFORE TRUNCATE ON audit_log
        FOR EACH STATEMENT EXECUTE FUNCTION audit_log_is_append_only();
    `,
  },
  {
    version: 3,
    name: 'endpoint agents: credentials, telemetry state and delivered record ids',
    up: `
      CREATE TABLE agent_devices (
        device_id           text COLLATE "C" PRIMARY KEY,
        org_id              text COLLATE "C" NOT NULL,
        site_id             text COLLATE "C" NOT NULL,
        secret_hash         text   NOT NULL,
        enrollment_token_id text,
        enrolled_at         bigint NOT NULL,
        revoked_at          bigint,
        last_seen_at        bigint,
        telemetry_state     text   NOT NULL
      );
      CREATE INDEX agent_devices_last_seen ON agent_devices (last_seen_at);

      -- Record ids already applied: a re-sent batch changes nothing.
      CREATE TABLE agent_records (
        record_id   text COLLATE "C" PRIMARY KEY,
        device_id   text COLLATE "C" NOT NULL,
        received_at bigint NOT NULL
      );
      CREATE INDEX agent_records_received ON agent_records (received_at);
    `,
  },
  {
    version: 4,
    name: 'a stamp on agent telemetry state, so server instances never overwrite a newer one',
    up: `
      ALTER TABLE agent_devices ADD COLUMN state_stamp text NOT NULL DEFAULT '';
    `,
  },
  {
    version: 5,
    name: 'live collaborative-text updates by the text they edit',
    up: `
      -- Compaction counts and reads one text's live updates (the queries of postgres-store.ts
      -- use this expression). Their bodies are schema-checked JSON, so the cast never fails.
      CREATE INDEX documents_live_text_updates ON documents (((body::jsonb) ->> 'targetId'))
        WHERE collection = 'doc_updates' AND NOT deleted;
    `,
  },
  {
    version: 6,
    name: 'who wrote each document\'s current state',
    up: `
      -- The principal whose write produced the row's state, beside written_at (server time), so
      -- a conflict can say who wrote the value it keeps. NULL: written before this version.
      -- Nullable without a default, and the check NOT VALID (existing rows are all NULL): PostgreSQL
      -- neither rewrites nor scans the table, so a large one migrates at once.
      ALTER TABLE documents
        ADD COLUMN written_by_kind text,
        ADD COLUMN written_by_id   text COLLATE "C",
        ADD CONSTRAINT documents_written_by_kind CHECK (written_by_kind IN ('user', 'agent', 'system')) NOT VALID;
    `,
  },
  {
    version: 7,
    name: 'throttle windows, enrollment token use limits and known devices',
    up: `
      -- Per-address caps count attempts per window (server/auth/throttle-policy.ts). A constant
      -- default and a nullable column: neither rewrites its table.
      ALTER TABLE login_throttle ADD COLUMN window_started_at bigint NOT NULL DEFAULT 0;
      -- NULL: no limit but the expiry.
      ALTER TABLE enrollment_tokens
        ADD COLUMN max_uses bigint,
        ADD CONSTRAINT enrollment_tokens_max_uses CHECK (max_uses IS NULL OR max_uses > 0);
      -- Browsers someone signed in from: exempt from the per-address cap and the account lock.
      CREATE TABLE known_devices (
        token_hash text COLLATE "C" PRIMARY KEY,
        user_id    text COLLATE "C" NOT NULL REFERENCES users (id) ON DELETE CASCADE,
        created_at bigint NOT NULL,
        expires_at bigint NOT NULL
      );
      CREATE INDEX known_devices_by_user ON known_devices (user_id);
    `,
  },
];

/**
 * Brings the schema up to date and returns how many migrations ran. Several instances starting
 * together queue on one session-level advisory lock (per schema): the first migrates, the others
 * then find nothing left to do. Each migration commits with its version row, so a failure leaves
 * the schema at the last complete version.
 */
export async function migrate(url: string, schema: string | undefined): Promise<number> {
  // A connection of its own: no statement timeout (waiting for the lock, building an index on a
  // big table), and its session settings never reach the pool.
  const client = new pg.Client(clientConfig({ url, applicationName: 'outpost-migrate' }));
  client.on('error', () => undefined); // a dropped connection fails the pending query instead
  await client.connect();
  try {
    await client.query('SET statement_timeout = 0');
    const lockKey = advisoryKey(`outpost migrations ${schema ?? '(default schema)'}`);
    await client.query('SELECT pg_advisory_lock($1::bigint)', [lockKey]);
    try {
      if (schema !== undefined) {
        await client.query(`CREATE SCHEMA IF NOT EXISTS ${pg.escapeIdentifier(schema)}`);
        await client.query(`SET search_path TO ${pg.escapeIdentifier(schema)}`);
      }
      await client.query(`CREATE TABLE IF NOT EXISTS schema_migrations (
        version    integer PRIMARY KEY,
        name       text NOT NULL,
        applied_at timestamptz NOT NULL DEFAULT now()
      )`);
      const { rows } = await client.query<{ version: number }>('SELECT version FROM schema_migrations');
      const applied = new Set(rows.map((row) => row.version));
      let count = 0;
      for (const migration of MIGRATIONS) {
        if (applied.has(migration.version)) continue;
        await client.query('BEGIN');
        try {
          await client.query(migration.up);
          await client.query('INSERT INTO schema_migrations (version, name) VALUES ($1, $2)', [migration.version, migration.name]);
          await client.query('COMMIT');
        } catch (error) {
          await client.query('ROLLBACK');
          throw new Error(`PostgreSQL migration ${migration.version} (${migration.name}) failed: ${(error as Error).message}`, { cause: error });
        }
        count++;
      }
      return count;
    } finally {
      // Also released when the session ends: a failed unlock must not hide the real error.
      await client.query('SELECT pg_advisory_unlock($1::bigint)', [lockKey]).catch(() => undefined);
    }
  } finally {
    await client.end();
  }
}
