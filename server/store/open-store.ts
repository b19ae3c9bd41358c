import { join } from 'node:path';
import type { Config } from '../config.ts';
import { SqliteStore } from './sqlite/sqlite-store.ts';
import type { Store } from './store.ts';

export const SQLITE_FILENAME = 'outpost.sqlite';

export async function openStore(config: Pick<Config, 'dataDir' | 'databaseUrl'>): Promise<Store> {
  if (config.databaseUrl) {
    throw new Error('DATABASE_URL is set, but the PostgreSQL store is not available in this version: unset it to use SQLite');
  }
  return new SqliteStore({ filename: join(config.dataDir, SQLITE_FILENAME) });
}
