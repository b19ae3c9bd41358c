import { loadConfig } from './config.ts';
import { DEMO_OPTIONS, generateDataset } from './seed/generate.ts';
import { loadDataset } from './seed/load.ts';
import { startServer } from './server.ts';
import { openStore } from './store/open-store.ts';

async function main(): Promise<void> {
  const config = loadConfig();
  const store = await openStore(config);
  if (config.seedDemo && (await store.countDocuments()) === 0) {
    const counts = await loadDataset(store, generateDataset({ ...DEMO_OPTIONS, now: new Date() }));
    console.log(`Seeded demo data: ${Object.entries(counts).map(([c, n]) => `${n} ${c}`).join(', ')}`);
  }
  const server = await startServer(config, store);
  console.log(`Outpost is running at ${server.url}  (store: ${store.kind}, data: ${config.databaseUrl ? 'PostgreSQL' : config.dataDir})`);
  console.log(`API description: ${server.url}/api/openapi.json`);

  let isStopping = false;
  const stop = (signal: string) => {
    if (isStopping) return;
    isStopping = true;
    console.log(`${signal}: shutting down`);
    server.close().then(
      () => process.exit(0),
      (error: unknown) => {
        console.error(error);
        process.exit(1);
      },
    );
  };
  process.on('SIGINT', () => stop('SIGINT'));
  process.on('SIGTERM', () => stop('SIGTERM'));
}

main().catch((error: unknown) => {
  console.error(error instanceof Error ? error.message : error);
  process.exit(1);
});
