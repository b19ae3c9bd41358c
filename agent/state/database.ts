import { join } from 'node:path';
import Database from 'better-sqlite3';

export type AgentDatabase = Database.Database;

export const databasePath = (stateDir: string): string => join(stateDir, 'outbox.sqlite');

const MIGRATIONS: readonly string[] = [
  `CREATE TABLE records (
     seq INTEGER PRIMARY KEY AUTOINCREMENT,
     id TEXT NOT NULL UNIQUE,
     kind TEXT NOT NULL,
     observed_at_ms INTEGER NOT NULL,
     bytes INTEGER NOT NULL,
     body TEXT NOT NULL,
     maybe_delivered INTEGER NOT NULL DEFAULT 0
   );
   CREATE INDEX records_by_kind ON records (kind, observed_at_ms);
   CREATE TABLE memory (key TEXT PRIMARY KEY, value TEXT NOT NULL);`,
];

/**
 * The agent's one file of state: the outbox and what the agent remembers between cycles, so
 * that a record and the memory saying it was recorded commit together.
 *
 * WAL survives a killed process whatever `synchronous` says; FULL also survives power loss,
 * and a record is "written" only once it would survive either.
 */
export function openAgentDatabase(path: string, options: { mustExist?: boolean } = {}): AgentDatabase {
  const db = new Database(path, { fileMustExist: options.mustExist ?? false });
  try {
    db.pragma('journal_mode = WAL');
    db.pragma('synchronous = FULL');
    // `status` reads while `run` writes; a short wait beats a spurious "database is locked".
    db.pragma('busy_timeout = 5000');
    migrate(db);
    return db;
  } catch (error) {
    db.close();
    throw error;
  }
}

function migrate(db: AgentDatabase): void {
  const current = db.pragma('user_version', { simple: true }) as number;
  if (current > MIGRATIONS.length) {
    throw new Error(`the state file was written by a newer agent (schema ${current}): upgrade this agent`);
  }
  db.transaction(() => {
    MIGRATIONS.slice(current).forEach((sql) => db.exec(sql));
    db.pragma(`user_version = ${MIGRATIONS.length}`);
  }).immediate();
}
