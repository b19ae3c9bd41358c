import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Agent, fetch as undiciFetch } from 'undici';
import { certificateHosts } from '../server/tls/hosts.ts';
import { issueLocalCertificates } from '../server/tls/issue-local-certificates.ts';
import { outpostFirstSync } from './node-clients.ts';
import { PEER_COLLECTIONS } from './peers/couch-documents.ts';
import { loadIngest, prepareDevices } from './ingest.ts';
import { datasetLabel, SITE_DATASET } from './initial-sync-node.ts';
import { interleaved } from './repeat.ts';
import { startSeededOutpost } from './seeded-outpost.ts';
import { startProcess } from './server-process.ts';
import { median, speedUp, type BenchRow } from './table.ts';

/** HTTPS may cost at most this much: at least 0.8× the plain-HTTP figure. */
const HTTPS_GOAL = 0.8;
const total = SITE_DATASET.devices + SITE_DATASET.runbooks + SITE_DATASET.risks;

/**
 * The same server, built-in TLS (a certificate of `npm run tls`'s local CA) against plain HTTP,
 * side by side in one run: a first sync in Node, and heartbeat ingest throughput.
 */
export async function benchHttps(options: { quick: boolean }): Promise<BenchRow[]> {
  const certificates = mkdtempSync(join(tmpdir(), 'outpost-bench-tls-'));
  const issued = issueLocalCertificates(certificates, certificateHosts(['127.0.0.1']));
  const tls = { OUTPOST_TLS_CERT: issued.paths.server.certFile, OUTPOST_TLS_KEY: issued.paths.server.keyFile };
  // The client trusts the local CA, as a phone that installed it from /setup does.
  const agent = new Agent({ connect: { ca: issued.ca.cert } });
  const tlsFetch = ((input: string | URL | Request, init?: RequestInit) => undiciFetch(input as never, { ...(init as object), dispatcher: agent } as never)) as unknown as typeof fetch;
  try {
    return [...(await firstSync(options, tls, tlsFetch)), ...(await ingest(options, tls))];
  } finally {
    await agent.close();
    rmSync(certificates, { recursive: true, force: true });
  }
}

function versusPlain(metric: string, unit: string, better: 'lower' | 'higher', https: number[], plain: number[]): BenchRow {
  const row: BenchRow = {
    metric,
    unit,
    outpost: Math.round(median(https)),
    peer: Math.round(median(plain)),
    peerName: 'the same server over plain HTTP',
    better,
    budget: `≥ ${HTTPS_GOAL}× plain HTTP`,
    runs: https.map(Math.round),
    peerRuns: plain.map(Math.round),
  };
  return { ...row, pass: (speedUp(row) ?? 0) >= HTTPS_GOAL };
}

async function firstSync(options: { quick: boolean }, tls: Record<string, string>, tlsFetch: typeof fetch): Promise<BenchRow[]> {
  const plain = await startSeededOutpost(SITE_DATASET);
  const secure = await startSeededOutpost(SITE_DATASET, tls, tlsFetch);
  try {
    if (!secure.url.startsWith('https:')) throw new Error(`the TLS server did not start on https: ${secure.url}`);
    const samples = await interleaved(
      {
        https: () => outpostFirstSync(secure, PEER_COLLECTIONS, total),
        plain: () => outpostFirstSync(plain, PEER_COLLECTIONS, total),
      },
      { runs: options.quick ? 3 : 7, warmUps: 1 },
    );
    return [versusPlain(`initial sync over HTTPS (built-in TLS), ${datasetLabel(SITE_DATASET)}, Node`, 'ms', 'lower', samples.https, samples.plain)];
  } finally {
    await plain.stop();
    await secure.stop();
  }
}

async function ingest(options: { quick: boolean }, tls: Record<string, string>): Promise<BenchRow[]> {
  const start = async (env: Record<string, string>) => {
    const dataDir = mkdtempSync(join(tmpdir(), 'outpost-bench-ingest-tls-'));
    const credentials = await prepareDevices(dataDir, 1000);
    const server = await startProcess('server/main.ts', { PORT: '0', HOST: '127.0.0.1', OUTPOST_DATA_DIR: dataDir, OUTPOST_DEMO: '0', OUTPOST_STATIC_DIR: join(dataDir, 'none'), ...env }, /running at (https?:\/\/\S+)/);
    return { ...server, credentials, dataDir };
  };
  const plain = await start({});
  const secure = await start(tls);
  const durationSeconds = options.quick ? 4 : 10;
  try {
    const https: number[] = [];
    const http: number[] = [];
    for (let round = -1; round < (options.quick ? 1 : 3); round++) {
      // New connections per run (autocannon keeps them alive, as agents do between heartbeats).
      const secureRun = await loadIngest(secure.url, 'https', secure.credentials, { durationSeconds, connections: 32 });
      const plainRun = await loadIngest(plain.url, 'http', plain.credentials, { durationSeconds, connections: 32 });
      if (secureRun.errors + secureRun.non2xx + plainRun.errors + plainRun.non2xx > 0) throw new Error('heartbeats failed during the HTTPS ingest bench');
      if (round < 0) continue;
      https.push(secureRun.requestsPerSecond);
      http.push(plainRun.requestsPerSecond);
    }
    return [versusPlain('heartbeat ingest throughput over HTTPS (built-in TLS), 32 connections, 1,000 agents', 'req/s', 'higher', https, http)];
  } finally {
    for (const server of [plain, secure]) {
      await server.stop();
      rmSync(server.dataDir, { recursive: true, force: true });
    }
  }
}
