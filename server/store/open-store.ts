import { join } from 'node:path';
import type { Config } from '../config.ts';
import type { Logger } from '../observability/logger.ts';
import { SqliteStore } from './sqlite/sqlite-store.ts';
import type { Store } from './store.ts';

export const SQLITE_FILENAME = 'outpost.sqlite';

export async function openStore(config: Pick<Config, 'dataDir' | 'databaseUrl'>, logger?: Logger): Promise<Store> {
  const logging = logger === undefined ? {} : { logger };
  if (config.databaseUrl) {
    // Loaded only when asked for, so an SQLite deployment never loads the PostgreSQL client.
    const { PostgresStore } = await import('./postgres/postgres-store.ts');
    return PostgresStore.open(config.databaseUrl, logging);
  }
  return new SqliteStore({ filename: join(config.dataDir, SQLITE_FILENAME), ...logging });
}
