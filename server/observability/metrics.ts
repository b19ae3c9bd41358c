import { Counter, Gauge, Histogram, Registry, collectDefaultMetrics } from 'prom-client';

/**
 * The metrics of one server instance, in a registry of its own: the tests start many servers in
 * one process, and the global default registry would add their counts up (or refuse the second
 * registration of a name).
 */
export class ServerMetrics {
  readonly registry = new Registry();

  readonly httpRequests = new Counter({
    name: 'outpost_http_requests_total',
    help: 'HTTP requests answered, by method, route pattern and status',
    labelNames: ['method', 'route', 'status'] as const,
    registers: [this.registry],
  });

  /** Without the status label: a histogram's buckets multiply every label combination. */
  readonly httpRequestDuration = new Histogram({
    name: 'outpost_http_request_duration_seconds',
    help: 'Time until the response (for live streams: until the stream opened), by method and route pattern',
    labelNames: ['method', 'route'] as const,
    buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10],
    registers: [this.registry],
  });

  readonly liveStreams = new Gauge({
    name: 'outpost_sync_live_streams',
    help: 'Live sync streams (server-sent events) open now',
    registers: [this.registry],
  });

  readonly documentsPulled = new Counter({
    name: 'outpost_sync_documents_pulled_total',
    help: 'Documents served by pulls, by collection',
    labelNames: ['collection'] as const,
    registers: [this.registry],
  });

  readonly documentsPushed = new Counter({
    name: 'outpost_sync_documents_pushed_total',
    help: 'Rows received in pushes, by collection (conflicts and rejected rows included)',
    labelNames: ['collection'] as const,
    registers: [this.registry],
  });

  readonly pushConflicts = new Counter({
    name: 'outpost_sync_push_conflicts_total',
    help: 'Pushed rows not applied because their assumed master was not the stored one, by collection',
    labelNames: ['collection'] as const,
    registers: [this.registry],
  });

  readonly pushRejectedRows = new Counter({
    name: 'outpost_sync_push_rejected_rows_total',
    help: 'Pushed rows refused (outside the writer\'s scope or rights), by collection',
    labelNames: ['collection'] as const,
    registers: [this.registry],
  });

  readonly agentIngestBatches = new Counter({
    name: 'outpost_agent_ingest_batches_total',
    help: 'Agent ingest batches applied',
    registers: [this.registry],
  });

  readonly agentHeartbeats = new Counter({
    name: 'outpost_agent_heartbeats_total',
    help: 'Heartbeat records received in applied agent ingest batches',
    registers: [this.registry],
  });

  readonly signInFailures = new Counter({
    name: 'outpost_auth_sign_in_failures_total',
    help: 'Sign-ins refused for a wrong email or password, or a disabled account',
    registers: [this.registry],
  });

  readonly signInsThrottled = new Counter({
    name: 'outpost_auth_sign_ins_throttled_total',
    help: 'Sign-ins refused unchecked because of earlier failures (429)',
    registers: [this.registry],
  });

  constructor() {
    // Started with the first server, so event-loop lag and GC are watched from the start, not from the first scrape.
    processRegistry();
  }

  get contentType(): string {
    return this.registry.contentType;
  }

  /** The Prometheus text: this instance's metrics, then the process's. */
  async exposition(): Promise<string> {
    const [own, process] = await Promise.all([this.registry.metrics(), processRegistry().metrics()]);
    return `${own.trimEnd()}\n\n${process}`;
  }
}

let processMetrics: Registry | undefined;

/**
 * CPU, memory, event-loop lag, GC: they describe the process, not a server instance, and each
 * collection starts an event-loop monitor and a GC observer of its own, so there is one per process.
 */
function processRegistry(): Registry {
  if (!processMetrics) {
    processMetrics = new Registry();
    collectDefaultMetrics({ register: processMetrics });
  }
  return processMetrics;
}
