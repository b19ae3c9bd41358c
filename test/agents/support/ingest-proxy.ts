import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AgentRecord } from '../../../shared/agent/protocol.ts';
import { listenOnLoopback } from '../../support/listen.ts';

/**
 * How the proxy treats the next ingest request:
 * - before-forward: keeps it, never sends it on (the server never hears of the batch);
 * - after-forward: sends it on, waits for the server's answer, then keeps the agent waiting
 *   (the server applied the batch; the agent cannot know);
 * - mid-response: sends it on and starts the answer (status, headers, half the body), then stalls.
 */
export type HoldMode = 'before-forward' | 'after-forward' | 'mid-response';

export interface HeldRequest {
  mode: HoldMode;
  recordIds: string[];
  /** The server's status, when the request reached it. */
  upstreamStatus: number | undefined;
}

interface PendingHold {
  mode: HoldMode;
  resolve: (held: HeldRequest) => void;
}

/**
 * A loopback HTTP proxy between an agent and the real server. Every path is forwarded;
 * ingest requests are also read, so the test knows every record the agent ever sent, how often
 * each reached the server, and can hold one request at a chosen moment while the agent is killed.
 */
export class IngestProxy {
  /** Every record the agent sent, by id (the first copy seen). */
  readonly seen = new Map<string, AgentRecord>();
  /** How many times each record id reached the server in a batch the server answered 200. */
  readonly forwardCounts = new Map<string, number>();
  /** Status of every ingest answer the server gave. */
  readonly upstreamStatuses: number[] = [];
  /** Added to the server's Date header before it reaches the agent, to make its clock look wrong. */
  dateOffsetMs = 0;
  url = '';
  #pending: PendingHold | undefined;
  #server: Server | undefined;

  /** Where requests go; a test points it at a restarted server. */
  private constructor(public upstream: string) {}

  static async start(upstream: string): Promise<IngestProxy> {
    const proxy = new IngestProxy(upstream);
    const server = createServer((req, res) => {
      proxy.#handle(req, res).catch((error: unknown) => {
        if (!res.headersSent) res.writeHead(502, { 'content-type': 'application/json' });
        res.end(JSON.stringify({ error: { code: 'proxy_failed', message: String(error) } }));
      });
    });
    proxy.url = await listenOnLoopback(server);
    proxy.#server = server;
    return proxy;
  }

  /**
   * Holds the next ingest request as `mode` says; resolves once it is held. Holds once: the
   * requests after it pass through.
   */
  holdNext(mode: HoldMode): Promise<HeldRequest> {
    if (this.#pending) throw new Error('a hold is already armed');
    return new Promise((resolve) => {
      this.#pending = { mode, resolve };
    });
  }

  /** Record ids seen more than once on their way to the server. */
  resentIds(): string[] {
    return [...this.forwardCounts].filter(([, n]) => n > 1).map(([id]) => id);
  }

  async close(): Promise<void> {
    const server = this.#server;
    if (!server) return;
    server.closeAllConnections();
    await new Promise<void>((resolve) => server.close(() => resolve()));
  }

  async #handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const body = await readBody(req);
    const isIngest = req.method === 'POST' && req.url === '/api/agent/ingest';
    const records = isIngest ? recordsOf(body) : [];
    for (const record of records) if (!this.seen.has(record.id)) this.seen.set(record.id, record);
    const recordIds = records.map((record) => record.id);

    const hold = isIngest ? this.#pending : undefined;
    if (hold) this.#pending = undefined;
    if (hold?.mode === 'before-forward') {
      hold.resolve({ mode: hold.mode, recordIds, upstreamStatus: undefined });
      return; // The agent waits for an answer that never comes.
    }

    const answer = await this.#forward(req, body);
    if (isIngest) {
      this.upstreamStatuses.push(answer.status);
      if (answer.status === 200) for (const id of recordIds) this.forwardCounts.set(id, (this.forwardCounts.get(id) ?? 0) + 1);
    }
    const headers: Record<string, string> = { 'content-type': answer.contentType };
    if (answer.date) headers['date'] = new Date(Date.parse(answer.date) + this.dateOffsetMs).toUTCString();

    if (hold?.mode === 'after-forward') {
      hold.resolve({ mode: hold.mode, recordIds, upstreamStatus: answer.status });
      return;
    }
    if (hold?.mode === 'mid-response') {
      const bytes = Buffer.from(answer.body);
      res.writeHead(answer.status, { ...headers, 'content-length': String(bytes.length) });
      res.write(bytes.subarray(0, Math.floor(bytes.length / 2)), () => hold.resolve({ mode: hold.mode, recordIds, upstreamStatus: answer.status }));
      return;
    }
    res.writeHead(answer.status, headers);
    res.end(answer.body);
  }

  async #forward(req: IncomingMessage, body: Buffer): Promise<{ status: number; contentType: string; date: string | undefined; body: string }> {
    const headers: Record<string, string> = {};
    for (const name of ['content-type', 'accept', 'authorization']) {
      const value = req.headers[name];
      if (typeof value === 'string') headers[name] = value;
    }
    const response = await fetch(`${this.upstream}${req.url ?? '/'}`, {
      method: req.method ?? 'GET',
      headers,
      ...(req.method === 'GET' || req.method === 'HEAD' ? {} : { body: new Uint8Array(body) }),
    });
    return {
      status: response.status,
      contentType: response.headers.get('content-type') ?? 'application/json',
      date: response.headers.get('date') ?? undefined,
      body: await response.text(),
    };
  }
}

function readBody(req: IncomingMessage): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => resolve(Buffer.concat(chunks)));
    req.on('error', reject);
  });
}

function recordsOf(body: Buffer): AgentRecord[] {
  try {
    const parsed = JSON.parse(body.toString('utf8')) as { records?: unknown };
    return Array.isArray(parsed.records) ? (parsed.records as AgentRecord[]) : [];
  } catch {
    return [];
  }
}
