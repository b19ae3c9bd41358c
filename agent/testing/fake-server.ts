import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';

export interface RecordedRequest {
  method: string;
  path: string;
  headers: IncomingHttpHeaders;
  body: unknown;
}

export type FakeAnswer = { status: number; body?: unknown; headers?: Record<string, string> } | 'hang-up';
export type FakeHandler = (request: RecordedRequest, index: number) => FakeAnswer;

/** A tiny HTTP server on a free port that records every request and answers as told. */
export class FakeServer {
  readonly requests: RecordedRequest[] = [];
  handler: FakeHandler = () => ({ status: 404, body: { error: { code: 'not_found', message: 'no such route' } } });
  #server: Server | undefined;
  url = '';

  static async start(handler?: FakeHandler): Promise<FakeServer> {
    const fake = new FakeServer();
    if (handler) fake.handler = handler;
    const server = createServer((req, res) => {
      const chunks: Buffer[] = [];
      req.on('data', (chunk: Buffer) => chunks.push(chunk));
      req.on('end', () => {
        const text = Buffer.concat(chunks).toString('utf8');
        let body: unknown;
        try {
          body = text === '' ? undefined : JSON.parse(text);
        } catch {
          body = text;
        }
        const request: RecordedRequest = { method: req.method ?? '', path: req.url ?? '', headers: req.headers, body };
        fake.requests.push(request);
        const answer = fake.handler(request, fake.requests.length - 1);
        if (answer === 'hang-up') {
          req.socket.destroy();
          return;
        }
        res.writeHead(answer.status, { 'content-type': 'application/json', ...answer.headers });
        res.end(answer.body === undefined ? '' : JSON.stringify(answer.body));
      });
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const address = server.address();
    if (!address || typeof address === 'string') throw new Error('fake server has no port');
    fake.#server = server;
    fake.url = `http://127.0.0.1:${address.port}`;
    return fake;
  }

  async close(): Promise<void> {
    const server = this.#server;
    if (!server) return;
    server.closeAllConnections();
    await new Promise<void>((resolve) => server.close(() => resolve()));
  }
}

/**
 * Answers ingest like the Outpost server: remembers record ids and acknowledges every id of a
 * valid batch, whether new or seen before. `stored` is what the server would hold.
 */
export function ingestLikeOutpost(stored: Map<string, unknown>): FakeHandler {
  return (request) => {
    const records = (request.body as { records?: Array<{ id: string }> } | undefined)?.records ?? [];
    for (const record of records) if (!stored.has(record.id)) stored.set(record.id, record);
    return { status: 200, body: { accepted: records.map((r) => r.id), serverTime: new Date().toISOString() } };
  };
}
