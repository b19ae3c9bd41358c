import type { BenchDatasetSize } from '../seeded-outpost.ts';
import { startProcess } from '../server-process.ts';

/** The express-pouchdb peer (bench/peers/pouch-server.ts) as its own process, holding `size`. */
export async function startPouchServer(size: BenchDatasetSize, env: Record<string, string> = {}): Promise<{ url: string; stop(): Promise<void> }> {
  const server = await startProcess(
    'bench/peers/pouch-server.ts',
    { BENCH_DEVICES: String(size.devices), BENCH_RUNBOOKS: String(size.runbooks), BENCH_RISKS: String(size.risks), ...env },
    /pouchdb server at (http:\/\/\S+)/,
  );
  return { url: server.url, stop: server.stop };
}
