import { Agent, request } from 'node:http';
import { uuidv7 } from '../../../shared/id/uuidv7.ts';

/**
 * A fleet of enrolled agents delivering on a schedule: each agent sends a heartbeat every
 * `intervalSeconds` (spread evenly over the interval), and one delivery in `transitionEvery`
 * also carries a disk check that changes state, so alerts open and resolve and live streams
 * have changes to carry. Latency is measured per request; any answer but 200 is an error.
 */
export class AgentFleet {
  readonly latenciesMs: number[] = [];
  readonly errors: string[] = [];
  requests = 0;
  // Idle sockets are let go before the server's 5 s keep-alive timeout, so a request never races its close.
  readonly #http = new Agent({ keepAlive: true, maxSockets: 64, timeout: 4000 });
  readonly #checkState = new Map<number, 'ok' | 'warning'>();
  #timer: ReturnType<typeof setInterval> | undefined;
  #inFlight = new Set<Promise<void>>();

  constructor(
    private readonly url: string,
    private readonly credentials: readonly string[],
    private readonly options: { intervalSeconds: number; transitionEvery: number },
  ) {}

  start(): void {
    const perSecond = this.credentials.length / this.options.intervalSeconds;
    const started = performance.now();
    let sent = 0;
    // Paced by the clock, not by timer ticks: a late tick sends what is owed, as agents do not wait.
    this.#timer = setInterval(() => {
      const owed = Math.floor(((performance.now() - started) / 1000) * perSecond);
      for (; sent < owed; sent++) {
        const index = sent % this.credentials.length;
        const sending = this.#deliver(index).finally(() => this.#inFlight.delete(sending));
        this.#inFlight.add(sending);
      }
    }, 20);
  }

  async stop(): Promise<void> {
    clearInterval(this.#timer);
    await Promise.all(this.#inFlight);
    this.#http.destroy();
  }

  percentile(p: number): number {
    const sorted = [...this.latenciesMs].sort((a, b) => a - b);
    return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] ?? 0;
  }

  #deliver(index: number): Promise<void> {
    const observedAt = new Date().toISOString();
    const records: object[] = [{ kind: 'heartbeat', id: uuidv7(), observedAt, cpuPercent: (index * 7) % 100, memoryUsedPercent: 40 }];
    if (++this.requests % this.options.transitionEvery === 0) {
      const state = this.#checkState.get(index) === 'warning' ? 'ok' : 'warning';
      this.#checkState.set(index, state);
      records.push({ kind: 'check', id: uuidv7(), observedAt, check: 'disk_space', state, message: `C: ${state === 'ok' ? '41' : '6'}% free` });
    }
    const body = JSON.stringify({ agentVersion: 'soak', records });
    const started = performance.now();
    return new Promise((resolve) => {
      const outgoing = request(
        `${this.url}/api/agent/ingest`,
        { method: 'POST', agent: this.#http, headers: { 'content-type': 'application/json', authorization: `Bearer ${this.credentials[index]}`, 'content-length': Buffer.byteLength(body) } },
        (response) => {
          response.resume();
          response.once('end', () => {
            this.latenciesMs.push(performance.now() - started);
            if (response.statusCode !== 200) this.errors.push(`ingest answered ${response.statusCode}`);
            resolve();
          });
        },
      );
      outgoing.once('error', (error) => {
        this.errors.push(`ingest failed: ${error.message}`);
        resolve();
      });
      outgoing.end(body);
    });
  }
}
