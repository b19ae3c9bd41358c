import { Gauge, Histogram } from 'prom-client';
import type { Store } from '../store/store.ts';
import type { ServerMetrics } from './metrics.ts';

/**
 * The store's pool use and cross-instance fan-out delay (PostgreSQL). An SQLite store has no pool
 * and no other instance: nothing is registered for it. Returns the unsubscribe.
 */
export function observeStore(metrics: ServerMetrics, store: Store): () => void {
  const telemetry = store.telemetry;
  if (!telemetry) return () => undefined;
  const registers = [metrics.registry];
  // Read at scrape time, so a scrape sees the pool as it is, not as it was at the last request.
  new Gauge({
    name: 'outpost_db_pool_connections',
    help: 'Open connections of the PostgreSQL pool, busy or idle',
    registers,
    collect() {
      this.set(telemetry.poolUsage().total);
    },
  });
  new Gauge({
    name: 'outpost_db_pool_idle_connections',
    help: 'Idle connections of the PostgreSQL pool',
    registers,
    collect() {
      this.set(telemetry.poolUsage().idle);
    },
  });
  new Gauge({
    name: 'outpost_db_pool_waiting_queries',
    help: 'Queries waiting for a connection of the PostgreSQL pool',
    registers,
    collect() {
      this.set(telemetry.poolUsage().waiting);
    },
  });
  const fanOutDelay = new Histogram({
    name: 'outpost_sync_fanout_delay_seconds',
    help: "From a commit announced by another instance to this instance's live streams getting it (clocks of both hosts)",
    buckets: [0.001, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10],
    registers,
  });
  return telemetry.onFanOutDelay((seconds) => fanOutDelay.observe(seconds));
}
