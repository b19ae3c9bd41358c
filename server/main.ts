import { loadConfig } from './config.ts';
import { DEMO_OPTIONS, generateDataset } from './seed/generate.ts';
import { bootstrapAdmin } from './auth/bootstrap.ts';
import { DEMO_PASSWORD } from './seed/demo-accounts.ts';
import { seedDatabase } from './seed/seed-database.ts';
import { startServer } from './server.ts';
import { httpsAdvice, reachableUrls } from './reachable-addresses.ts';
import { openStore } from './store/open-store.ts';
import { createLogger } from './observability/logger.ts';

async function main(): Promise<void> {
  const config = loadConfig();
  // JSON lines for collectors; the banners below stay plain text for the person who started it.
  const logger = createLogger({ level: config.logLevel });
  const store = await openStore(config, logger);
  let demoEmails: string[] = [];
  if (config.seedDemo && (await store.countDocuments()) === 0) {
    const { counts, accounts } = await seedDatabase(store, generateDataset({ ...DEMO_OPTIONS, now: new Date() }));
    demoEmails = accounts.map((a) => `${a.email.padEnd(32)} ${a.memberships.map((m) => m.role + (m.siteIds === 'all' ? '' : ' (one site)')).join(', ')}`);
    console.log(`Seeded demo data: ${Object.entries(counts).map(([c, n]) => `${n} ${c}`).join(', ')}`);
  }
  if (config.bootstrapAdmin && (await bootstrapAdmin(store, config.bootstrapAdmin)) === 'created') {
    console.log(`Created the first administrator: ${config.bootstrapAdmin.email}`);
  }
  const server = await startServer(config, store, { logger });
  console.log(`Outpost is running at ${server.url}  (store: ${store.kind}, data: ${config.databaseUrl ? 'PostgreSQL' : config.dataDir})`);
  const urls = reachableUrls(server.url, config.host);
  if (urls.length > 1 || urls[0] !== server.url) console.log(`Reachable at:\n  ${urls.join('\n  ')}`);
  const advice = httpsAdvice(urls);
  if (advice) console.log(`\n${advice}\n`);
  console.log(`API description: ${server.url}/api/openapi.json`);
  if (server.metricsUrl) console.log(`Metrics (no token, keep it internal): ${server.metricsUrl}/metrics`);
  if (demoEmails.length > 0) {
    console.log(`\nDemo sign-in (password for every account: ${DEMO_PASSWORD}):\n  ${demoEmails.join('\n  ')}`);
  }

  let isStopping = false;
  const stop = (signal: string) => {
    if (isStopping) {
      // A second signal (Ctrl-C twice) does not wait for the drain.
      logger.warn({ signal }, 'signal again: exiting without waiting');
      process.exit(1);
    }
    isStopping = true;
    logger.info({ signal }, 'draining: /healthz answers 503, live streams end, requests in flight finish');
    server.close().then(
      () => {
        logger.info('stopped');
        process.exit(0);
      },
      (error: unknown) => {
        logger.error({ err: error }, 'shutdown failed');
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
