import { createHash } from 'node:crypto';
import pg from 'pg';
import { defaultLogger, type Logger } from '../../observability/logger.ts';

/** Anything that runs a query: the pool, or a client inside a transaction. */
export type Queryable = Pick<pg.ClientBase, 'query'>;

export interface ConnectionOptions {
  url: string;
  /** Tables live in this schema (created if missing); the connection's default otherwise. */
  schema: string | undefined;
  maxConnections: number;
  statementTimeoutMs: number;
  applicationName: string;
  logger?: Logger;
}

/** Unquoted-identifier rules, so the name means the same in SQL, in a channel name and in a log. */
const SCHEMA_NAME = /^[a-z_][a-z0-9_]{0,62}$/;

export function checkSchemaName(schema: string): string {
  if (!SCHEMA_NAME.test(schema)) {
    throw new Error(`PostgreSQL schema name ${JSON.stringify(schema)}: use 1-63 lowercase letters, digits and underscores, not starting with a digit`);
  }
  return schema;
}

/**
 * bigint columns (sequences, millisecond timestamps, counts) arrive as numbers: every value the
 * store keeps there is far below 2^53. Per pool, so other users of `pg` in the process keep strings.
 */
const TYPES: pg.CustomTypesConfig = {
  getTypeParser: ((oid: number, format?: 'text' | 'binary') =>
    oid === pg.types.builtins.INT8 ? parseSafeInteger : pg.types.getTypeParser(oid, format)) as pg.CustomTypesConfig['getTypeParser'],
};

function parseSafeInteger(text: string): number {
  const value = Number(text);
  if (!Number.isSafeInteger(value)) throw new RangeError(`bigint ${text} is beyond what the store handles`);
  return value;
}

export function clientConfig(options: Pick<ConnectionOptions, 'url' | 'applicationName'>): pg.ClientConfig {
  return { connectionString: options.url, application_name: options.applicationName, types: TYPES };
}

export function createPool(options: ConnectionOptions): pg.Pool {
  const setSearchPath = options.schema === undefined ? undefined : `SET search_path TO ${pg.escapeIdentifier(options.schema)}`;
  const pool = new pg.Pool({
    ...clientConfig(options),
    max: options.maxConnections,
    // A runaway query or a transaction left open by a bug must not hold org locks forever.
    statement_timeout: options.statementTimeoutMs,
    idle_in_transaction_session_timeout: Math.max(options.statementTimeoutMs * 2, 10_000),
    // Awaited by the pool before it hands the connection out; a failure discards the connection.
    ...(setSearchPath === undefined
      ? {}
      : {
          onConnect: async (client: pg.ClientBase) => {
            await client.query(setSearchPath);
          },
        }),
  });
  // An idle client whose server went away emits here; without a listener the process would exit.
  const logger = options.logger ?? defaultLogger();
  pool.on('error', (error) => logger.error({ err: error }, 'PostgreSQL pool: idle connection failed'));
  return pool;
}

export interface TransactionOptions {
  isolation?: 'read committed' | 'repeatable read';
  isReadOnly?: boolean;
}

const RETRYABLE = new Set(['40001', '40P01']); // serialization failure, deadlock detected

/**
 * Runs `work` in one transaction on one pooled connection. A serialization failure or deadlock
 * rolls back and runs `work` again (at most three times): `work` must keep its state inside.
 */
export async function inTransaction<T>(pool: pg.Pool, work: (client: pg.PoolClient) => Promise<T>, options: TransactionOptions = {}): Promise<T> {
  const begin = `BEGIN ISOLATION LEVEL ${(options.isolation ?? 'read committed').toUpperCase()}${options.isReadOnly ? ' READ ONLY' : ''}`;
  for (let attempt = 1; ; attempt++) {
    const client = await pool.connect();
    let isBroken = false;
    try {
      await client.query(begin);
      const result = await work(client);
      await client.query('COMMIT');
      return result;
    } catch (error) {
      try {
        await client.query('ROLLBACK');
      } catch {
        isBroken = true; // the connection is gone: do not hand it out again
      }
      if (attempt < 3 && isPgError(error) && RETRYABLE.has(error.code)) continue;
      throw error;
    } finally {
      client.release(isBroken);
    }
  }
}

export function isPgError(error: unknown): error is Error & { code: string; constraint?: string } {
  return error instanceof Error && typeof (error as { code?: unknown }).code === 'string';
}

/** A 64-bit advisory lock key (as text for a ::bigint parameter), stable across processes. */
export function advisoryKey(name: string): string {
  return createHash('sha256').update(name).digest().readBigInt64BE(0).toString();
}
