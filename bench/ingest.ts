import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import autocannon from 'autocannon';
import { uuidv7 } from '../shared/id/uuidv7.ts';
import { hashToken, newSecretToken } from '../server/auth/tokens.ts';
import { SQLITE_FILENAME } from '../server/store/open-store.ts';
import { SqliteStore } from '../server/store/sqlite/sqlite-store.ts';
import type { StoredDocument } from '../server/store/store.ts';
import { startProcess } from './server-process.ts';

export interface LoadResult {
  target: string;
  requestsPerSecond: number;
  p50Ms: number;
  p99Ms: number;
  errors: number;
  non2xx: number;
}

/** Enrolled devices written straight into a fresh database, with their credentials. */
export async function prepareDevices(dataDir: string, count: number): Promise<string[]> {
  const store = new SqliteStore({ filename: join(dataDir, SQLITE_FILENAME) });
  const orgId = uuidv7();
  const siteId = uuidv7();
  const now = new Date().toISOString();
  await store.insertMany('orgs', [{ id: orgId, orgId, name: 'Bench', updatedAt: now, _deleted: false } as StoredDocument]);
  await store.insertMany('sites', [{ id: siteId, orgId, siteId, name: 'Bench site', timezone: 'UTC', contacts: [], updatedAt: now, _deleted: false } as StoredDocument]);
  const credentials: string[] = [];
  const devices: StoredDocument[] = [];
  for (let i = 0; i < count; i++) {
    const deviceId = uuidv7();
    const secret = newSecretToken();
    credentials.push(`${deviceId}.${secret}`);
    await store.agents.create({ deviceId, orgId, siteId, secretHash: hashToken(secret), enrollmentTokenId: undefined, enrolledAt: Date.now(), revokedAt: undefined, lastSeenAt: Date.now(), telemetryState: { checks: {} } });
    devices.push({ id: deviceId, orgId, siteId, hostname: `bench-${i}`, kind: 'workstation', ips: [], macs: [], tags: [], trend: [], status: 'online', health: 'ok', healthReasons: [], updatedAt: now, _deleted: false } as StoredDocument);
  }
  await store.insertMany('devices', devices);
  await store.close();
  return credentials;
}

/** Autocannon's heartbeat load against one server (https accepted; autocannon does not verify certificates). */
export async function loadIngest(url: string, target: string, credentials: string[], options: { durationSeconds: number; connections: number; overallRate?: number }): Promise<LoadResult> {
  let next = 0;
  const result = await autocannon({
    url: `${url}/api/agent/ingest`,
    connections: options.connections,
    duration: options.durationSeconds,
    ...(options.overallRate ? { overallRate: options.overallRate } : {}),
    requests: [
      {
        method: 'POST',
        setupRequest: (request) => {
          const credential = credentials[next++ % credentials.length] ?? '';
          const body = JSON.stringify({ agentVersion: 'bench', records: [{ kind: 'heartbeat', id: uuidv7(), observedAt: new Date().toISOString(), cpuPercent: 12, memoryUsedPercent: 41 }] });
          return { ...request, headers: { 'content-type': 'application/json', authorization: `Bearer ${credential}` }, body };
        },
      },
    ],
  });
  return {
    target,
    requestsPerSecond: result.requests.average,
    p50Ms: result.latency.p50,
    p99Ms: result.latency.p99,
    errors: result.errors,
    non2xx: result.non2xx,
  };
}

/** Heartbeat ingest on one server process against a bare Hono route, same load generator, same run. */
export async function benchIngest(options: { devices: number; durationSeconds: number; fleetRateRuns: number }): Promise<{ max: LoadResult[]; atFleetRate: LoadResult[]; fleetRate: number }> {
  const dataDir = mkdtempSync(join(tmpdir(), 'outpost-bench-ingest-'));
  const credentials = await prepareDevices(dataDir, options.devices);
  const outpost = await startProcess('server/main.ts', { PORT: '0', HOST: '127.0.0.1', OUTPOST_DATA_DIR: dataDir, OUTPOST_DEMO: '0', OUTPOST_STATIC_DIR: join(dataDir, 'none') }, /running at (http:\/\/\S+)/);
  const bare = await startProcess('bench/bare-hono.ts', {}, /bare hono at (http:\/\/\S+)/);
  // 50,000 agents, one heartbeat a minute each.
  const fleetRate = Math.round(50_000 / 60);
  try {
    await loadIngest(outpost.url, 'warm-up', credentials, { durationSeconds: 2, connections: 16 });
    const max = [
      await loadIngest(bare.url, 'bare Hono route (no work)', credentials, { durationSeconds: options.durationSeconds, connections: 32 }),
      await loadIngest(outpost.url, 'Outpost ingest', credentials, { durationSeconds: options.durationSeconds, connections: 32 }),
    ];
    // A p99 of one run swings with the machine: several runs, the median taken by the caller.
    const atFleetRate: LoadResult[] = [];
    for (let run = 0; run < options.fleetRateRuns; run++) {
      atFleetRate.push(await loadIngest(outpost.url, `Outpost ingest at ${fleetRate} req/s`, credentials, { durationSeconds: options.durationSeconds, connections: 64, overallRate: fleetRate }));
    }
    return { max, atFleetRate, fleetRate };
  } finally {
    await outpost.stop();
    await bare.stop();
    rmSync(dataDir, { recursive: true, force: true });
  }
}
