import { resolve } from 'node:path';
import * as v from 'valibot';

const flag = (fallback: boolean) =>
  v.pipe(
    v.optional(v.picklist(['0', '1', 'true', 'false', 'yes', 'no', '']), fallback ? '1' : '0'),
    v.transform((value) => ['1', 'true', 'yes'].includes(value)),
  );

const wholeNumber = (fallback: number, min: number, max: number) =>
  v.pipe(
    v.optional(v.string(), String(fallback)),
    v.regex(/^\d+$/, 'must be a whole number'),
    v.transform(Number),
    v.minValue(min),
    v.maxValue(max),
  );

const EnvSchema = v.object({
  PORT: wholeNumber(8787, 0, 65535),
  HOST: v.optional(v.pipe(v.string(), v.minLength(1)), '127.0.0.1'),
  OUTPOST_DATA_DIR: v.optional(v.pipe(v.string(), v.minLength(1)), './data'),
  DATABASE_URL: v.optional(v.pipe(v.string(), v.regex(/^postgres(ql)?:\/\//, 'must be a postgres:// URL'))),
  OUTPOST_DEMO: flag(false),
  OUTPOST_TOMBSTONE_RETENTION_DAYS: wholeNumber(30, 1, 3650),
  OUTPOST_TEXT_COMPACTION_UPDATES: wholeNumber(200, 2, 100_000),
  OUTPOST_STREAM_HEARTBEAT_SECONDS: wholeNumber(15, 1, 3600),
  OUTPOST_STATIC_DIR: v.optional(v.pipe(v.string(), v.minLength(1)), './dist'),
  OUTPOST_AGENT_OFFLINE_AFTER_SECONDS: wholeNumber(300, 10, 86_400 * 7),
  OUTPOST_AGENT_STALE_AFTER_SECONDS: wholeNumber(86_400, 60, 86_400 * 365),
  OUTPOST_AGENT_FLUSH_SECONDS: wholeNumber(1, 1, 3600),
  OUTPOST_SHUTDOWN_DELAY_SECONDS: wholeNumber(0, 0, 300),
  OUTPOST_SHUTDOWN_GRACE_SECONDS: wholeNumber(10, 0, 600),
  OUTPOST_ADMIN_EMAIL: v.optional(v.pipe(v.string(), v.email('must be an email address'))),
  OUTPOST_ADMIN_PASSWORD: v.optional(v.pipe(v.string(), v.minLength(1))),
});

export interface Config {
  port: number;
  host: string;
  dataDir: string;
  databaseUrl: string | undefined;
  seedDemo: boolean;
  tombstoneRetentionDays: number;
  /** A collaborative text is compacted into one snapshot update once it has this many live updates. */
  textCompactionUpdates: number;
  streamHeartbeatSeconds: number;
  staticDir: string;
  agentOfflineAfterSeconds: number;
  agentStaleAfterSeconds: number;
  /** Heartbeat soft state (last seen, the open hour's sums) is written this often; a crash loses at most this much. */
  agentFlushSeconds: number;
  /** On SIGTERM, keep accepting this long while /healthz answers 503, for balancers that only learn from health checks. */
  shutdownDelaySeconds: number;
  /** Then requests in flight get this long to finish before their connections are closed. */
  shutdownGraceSeconds: number;
  /** Creates the first administrator when none exists yet. */
  bootstrapAdmin: { email: string; password: string } | undefined;
}

/** Reads the environment once; a bad value stops the server with a message naming the variable. */
export function loadConfig(env: Record<string, string | undefined> = process.env): Config {
  const result = v.safeParse(EnvSchema, env);
  if (!result.success) {
    const problems = result.issues.map((issue) => `${v.getDotPath(issue) ?? 'environment'}: ${issue.message}`);
    throw new Error(`Invalid configuration:\n  ${problems.join('\n  ')}`);
  }
  const e = result.output;
  if ((e.OUTPOST_ADMIN_EMAIL === undefined) !== (e.OUTPOST_ADMIN_PASSWORD === undefined)) {
    throw new Error('Invalid configuration:\n  OUTPOST_ADMIN_EMAIL and OUTPOST_ADMIN_PASSWORD must be set together');
  }
  return {
    port: e.PORT,
    host: e.HOST,
    dataDir: resolve(e.OUTPOST_DATA_DIR),
    databaseUrl: e.DATABASE_URL,
    seedDemo: e.OUTPOST_DEMO,
    tombstoneRetentionDays: e.OUTPOST_TOMBSTONE_RETENTION_DAYS,
    textCompactionUpdates: e.OUTPOST_TEXT_COMPACTION_UPDATES,
    streamHeartbeatSeconds: e.OUTPOST_STREAM_HEARTBEAT_SECONDS,
    staticDir: resolve(e.OUTPOST_STATIC_DIR),
    agentOfflineAfterSeconds: e.OUTPOST_AGENT_OFFLINE_AFTER_SECONDS,
    agentStaleAfterSeconds: e.OUTPOST_AGENT_STALE_AFTER_SECONDS,
    agentFlushSeconds: e.OUTPOST_AGENT_FLUSH_SECONDS,
    shutdownDelaySeconds: e.OUTPOST_SHUTDOWN_DELAY_SECONDS,
    shutdownGraceSeconds: e.OUTPOST_SHUTDOWN_GRACE_SECONDS,
    bootstrapAdmin:
      e.OUTPOST_ADMIN_EMAIL && e.OUTPOST_ADMIN_PASSWORD ? { email: e.OUTPOST_ADMIN_EMAIL, password: e.OUTPOST_ADMIN_PASSWORD } : undefined,
  };
}
