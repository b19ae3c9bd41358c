import { resolve } from 'node:path';
import * as v from 'valibot';
import { RISK_ACCEPTANCE_MAX_DAYS } from '../shared/risk/acceptance.ts';
import { parseListenAddress, type ListenAddress } from './observability/listen-address.ts';
import { publicOriginProblem } from './http/edge.ts';
import { configuredHostName } from './http/host-name.ts';
import { trustedProxyProblem } from './http/proxy-trust.ts';
import type { TlsFiles } from './tls/tls-files.ts';

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

/** Unset and set to nothing (`Environment=OUTPOST_PUBLIC_URL=` in a unit file) mean the same. */
const optionalText = v.pipe(v.optional(v.string(), ''), v.trim());

const commaList = (problem: (entry: string) => string | undefined) =>
  v.pipe(
    optionalText,
    v.transform((text) => text.split(',').map((entry) => entry.trim()).filter((entry) => entry !== '')),
    v.check(
      (entries) => entries.every((entry) => problem(entry) === undefined),
      (issue) => issue.input.flatMap((entry) => problem(entry) ?? []).join('; '),
    ),
  );

/** Unset or empty: the main listener's /metrics stays off (404). */
const metricsToken = v.pipe(
  v.optional(v.string(), ''),
  v.check((token) => token === '' || token.length >= 16, 'must be at least 16 characters: use a long random secret'),
  v.check((token) => /^[\x21-\x7E]*$/.test(token), 'must be printable ASCII without spaces (it is sent in an Authorization header)'),
  v.transform((token) => (token === '' ? undefined : token)),
);

/** Unset or empty: no separate metrics listener. */
const metricsAddress = v.pipe(
  v.optional(v.string(), ''),
  v.rawTransform(({ dataset, addIssue, NEVER }): ListenAddress | undefined => {
    if (dataset.value === '') return undefined;
    const address = parseListenAddress(dataset.value);
    if (address) return address;
    addIssue({ message: 'must be host:port, e.g. 127.0.0.1:9464 or [::1]:9464' });
    return NEVER;
  }),
);

const EnvSchema = v.object({
  PORT: wholeNumber(8787, 0, 65535),
  HOST: v.optional(v.pipe(v.string(), v.minLength(1)), '127.0.0.1'),
  OUTPOST_DATA_DIR: v.optional(v.pipe(v.string(), v.minLength(1)), './data'),
  DATABASE_URL: v.optional(v.pipe(v.string(), v.regex(/^postgres(ql)?:\/\//, 'must be a postgres:// URL'))),
  OUTPOST_DEMO: flag(false),
  OUTPOST_TOMBSTONE_RETENTION_DAYS: wholeNumber(30, 1, 3650),
  OUTPOST_TEXT_COMPACTION_UPDATES: wholeNumber(200, 2, 100_000),
  OUTPOST_RISK_ACCEPTANCE_MAX_DAYS: wholeNumber(RISK_ACCEPTANCE_MAX_DAYS, 1, 3650),
  OUTPOST_STREAM_HEARTBEAT_SECONDS: wholeNumber(15, 1, 3600),
  OUTPOST_STATIC_DIR: v.optional(v.pipe(v.string(), v.minLength(1)), './dist'),
  OUTPOST_AGENT_OFFLINE_AFTER_SECONDS: wholeNumber(300, 10, 86_400 * 7),
  OUTPOST_AGENT_STALE_AFTER_SECONDS: wholeNumber(86_400, 60, 86_400 * 365),
  OUTPOST_AGENT_FLUSH_SECONDS: wholeNumber(1, 1, 3600),
  OUTPOST_SHUTDOWN_DELAY_SECONDS: wholeNumber(0, 0, 300),
  OUTPOST_SHUTDOWN_GRACE_SECONDS: wholeNumber(10, 0, 600),
  OUTPOST_METRICS_TOKEN: metricsToken,
  OUTPOST_METRICS_ADDRESS: metricsAddress,
  OUTPOST_LOG_LEVEL: v.optional(
    v.picklist(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'], 'must be one of fatal, error, warn, info, debug, trace, silent'),
    'info',
  ),
  OUTPOST_ADMIN_EMAIL: v.optional(v.pipe(v.string(), v.email('must be an email address'))),
  OUTPOST_ADMIN_PASSWORD: v.optional(v.pipe(v.string(), v.minLength(1))),
  OUTPOST_PUBLIC_URL: v.pipe(
    optionalText,
    v.check((text) => text === '' || publicOriginProblem(text) === undefined, (issue) => publicOriginProblem(issue.input) ?? 'is invalid'),
    v.transform((text) => (text === '' ? undefined : new URL(text).origin)),
  ),
  OUTPOST_TRUSTED_PROXIES: commaList(trustedProxyProblem),
  OUTPOST_ALLOWED_HOSTS: v.pipe(
    commaList((entry) => (configuredHostName(entry) === undefined ? `"${entry.slice(0, 100)}" is not a host name or an IP address (no scheme, port or path)` : undefined)),
    v.transform((entries) => entries.flatMap((entry) => configuredHostName(entry) ?? [])),
  ),
  OUTPOST_TLS_CERT: optionalText,
  OUTPOST_TLS_KEY: optionalText,
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
  /** How far ahead a risk acceptance may run: past it, the risk is open again and must be reviewed. */
  riskAcceptanceMaxDays: number;
  staticDir: string;
  agentOfflineAfterSeconds: number;
  agentStaleAfterSeconds: number;
  /** Heartbeat soft state (last seen, the open hour's sums) is written this often; a crash loses at most this much. */
  agentFlushSeconds: number;
  /** On SIGTERM, keep accepting this long while /healthz answers 503, for balancers that only learn from health checks. */
  shutdownDelaySeconds: number;
  /** Then requests in flight get this long to finish before their connections are closed. */
  shutdownGraceSeconds: number;
  /** GET /metrics on the main listener needs `Authorization: Bearer <this>`; unset: not served there. */
  metricsToken: string | undefined;
  /** A separate listener serving GET /metrics without a token (keep it on an internal network). */
  metricsAddress: ListenAddress | undefined;
  /** Of the JSON lines on standard output. */
  logLevel: 'fatal' | 'error' | 'warn' | 'info' | 'debug' | 'trace' | 'silent';
  /** Creates the first administrator when none exists yet. */
  bootstrapAdmin: { email: string; password: string } | undefined;
  /**
   * OUTPOST_PUBLIC_URL as an origin (https://ops.example.com): the one name browsers use, usually
   * through a reverse proxy. Decides the Secure cookie, the accepted Origin and the Host check.
   */
  publicUrl: string | undefined;
  /** OUTPOST_TRUSTED_PROXIES: addresses, CIDRs or loopback/linklocal/uniquelocal whose X-Forwarded-* headers are believed. */
  trustedProxies: string[];
  /** OUTPOST_ALLOWED_HOSTS: more names the Host check accepts (lower case, IPv6 without brackets). */
  allowedHosts: string[];
  /**
   * OUTPOST_TLS_CERT and OUTPOST_TLS_KEY (PEM files): the server speaks HTTPS with them. Unset,
   * it uses the certificate `npm run tls` left in the data directory, if any.
   */
  tls: TlsFiles | undefined;
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
  if ((e.OUTPOST_TLS_CERT === '') !== (e.OUTPOST_TLS_KEY === '')) {
    throw new Error(
      `Invalid configuration:\n  OUTPOST_TLS_CERT and OUTPOST_TLS_KEY must be set together (only ${e.OUTPOST_TLS_CERT === '' ? 'OUTPOST_TLS_KEY' : 'OUTPOST_TLS_CERT'} is set): the certificate and its private key, both PEM files`,
    );
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
    riskAcceptanceMaxDays: e.OUTPOST_RISK_ACCEPTANCE_MAX_DAYS,
    staticDir: resolve(e.OUTPOST_STATIC_DIR),
    agentOfflineAfterSeconds: e.OUTPOST_AGENT_OFFLINE_AFTER_SECONDS,
    agentStaleAfterSeconds: e.OUTPOST_AGENT_STALE_AFTER_SECONDS,
    agentFlushSeconds: e.OUTPOST_AGENT_FLUSH_SECONDS,
    shutdownDelaySeconds: e.OUTPOST_SHUTDOWN_DELAY_SECONDS,
    shutdownGraceSeconds: e.OUTPOST_SHUTDOWN_GRACE_SECONDS,
    metricsToken: e.OUTPOST_METRICS_TOKEN,
    metricsAddress: e.OUTPOST_METRICS_ADDRESS,
    logLevel: e.OUTPOST_LOG_LEVEL,
    bootstrapAdmin:
      e.OUTPOST_ADMIN_EMAIL && e.OUTPOST_ADMIN_PASSWORD ? { email: e.OUTPOST_ADMIN_EMAIL, password: e.OUTPOST_ADMIN_PASSWORD } : undefined,
    publicUrl: e.OUTPOST_PUBLIC_URL,
    trustedProxies: e.OUTPOST_TRUSTED_PROXIES,
    allowedHosts: e.OUTPOST_ALLOWED_HOSTS,
    tls: e.OUTPOST_TLS_CERT === '' ? undefined : { certFile: resolve(e.OUTPOST_TLS_CERT), keyFile: resolve(e.OUTPOST_TLS_KEY) },
  };
}
