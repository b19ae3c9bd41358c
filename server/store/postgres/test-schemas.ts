import { randomBytes } from 'node:crypto';
import pg from 'pg';
import { PostgresStore, type PostgresStoreOptions } from './postgres-store.ts';

/**
 * For tests: each store in a fresh schema of the test database, dropped afterwards, so suites
 * running side by side (and runs that crashed before cleaning up) never see each other's rows.
 */
export class TestSchemas {
  readonly #created: string[] = [];
  readonly #opened: PostgresStore[] = [];
  #admin: pg.Pool | undefined;

  constructor(readonly url: string) {}

  newSchema(): string {
    const schema = `outpost_test_${randomBytes(6).toString('hex')}`;
    this.#created.push(schema);
    return schema;
  }

  /** A store in `schema`, or in a new schema; closed by `cleanup`. */
  async open(options: PostgresStoreOptions = {}): Promise<PostgresStore> {
    const store = await PostgresStore.open(this.url, { ...options, schema: options.schema ?? this.newSchema() });
    this.#opened.push(store);
    return store;
  }

  /** Runs SQL in `schema` on a connection outside any store. */
  async query<R extends pg.QueryResultRow>(schema: string, sql: string, values: unknown[] = []): Promise<R[]> {
    const client = await this.#pool().connect();
    try {
      await client.query(`SET search_path TO ${pg.escapeIdentifier(schema)}`);
      return (await client.query<R>(sql, values)).rows;
    } finally {
      client.release();
    }
  }

  /** A connection of the test's own (to look at pg_stat_activity, terminate backends…). */
  admin(): pg.Pool {
    return this.#pool();
  }

  /** Closes every store opened here (also ones a test closed already) and drops the schemas. */
  async cleanup(): Promise<void> {
    for (const store of this.#opened.splice(0)) await store.close();
    for (const schema of this.#created.splice(0)) await this.#pool().query(`DROP SCHEMA IF EXISTS ${pg.escapeIdentifier(schema)} CASCADE`);
  }

  async end(): Promise<void> {
    await this.cleanup();
    await this.#admin?.end();
    this.#admin = undefined;
  }

  #pool(): pg.Pool {
    this.#admin ??= new pg.Pool({ connectionString: this.url, max: 2 });
    return this.#admin;
  }
}
