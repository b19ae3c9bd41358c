import { connect, createServer, type Server, type Socket } from 'node:net';
import type { Random } from '../../../server/seed/random.ts';
import { takeRequest, type FramedRequest } from './http-framing.ts';
import { listenOnLoopback } from '../../support/listen.ts';

/** Per-request probabilities of each fault (0 to 1); `maxDelayMs` bounds added latency. */
export interface FaultRates {
  /** The request waits up to `maxDelayMs` before it is forwarded. */
  delay: number;
  maxDelayMs: number;
  /** The connection is closed instead of forwarding the request. */
  drop: number;
  /** The request is forwarded, then the connection is reset (RST) partway through the answer. */
  reset: number;
  /** The request is swallowed: the connection stays open and nothing ever comes back. */
  halfOpen: number;
  /** Pushes: the server commits and answers, the client never hears the answer. */
  cutAfterCommit: number;
  /** Pushes: the server receives the batch a second time, up to a second and a half later. */
  duplicate: number;
  /** Live streams: the connection is reset after a few seconds. */
  streamCut: number;
}

export const NO_FAULTS: FaultRates = { delay: 0, maxDelayMs: 0, drop: 0, reset: 0, halfOpen: 0, cutAfterCommit: 0, duplicate: 0, streamCut: 0 };

export type FaultKind = 'delay' | 'drop' | 'reset' | 'halfOpen' | 'cutAfterCommit' | 'duplicate' | 'streamCut';

const isPush = (request: FramedRequest) => request.method === 'POST' && /\/push(\?|$)/.test(request.path);
const isStream = (request: FramedRequest) => request.path.startsWith('/api/sync/stream');
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/**
 * A TCP proxy between clients and the server that injects the faults of a field network: drops,
 * delays, resets, half-open connections, answers lost after the server committed, and batches
 * delivered twice. Requests are framed (HTTP/1.1, one at a time per connection, as fetch sends
 * them) only to decide a fault per request; bytes pass through unchanged. Decisions come from a
 * seeded random stream, so a seed replays the same fault schedule.
 */
export class FaultProxy {
  rates: FaultRates = NO_FAULTS;
  readonly counts: Record<FaultKind | 'requests' | 'connections', number> = {
    requests: 0, connections: 0, delay: 0, drop: 0, reset: 0, halfOpen: 0, cutAfterCommit: 0, duplicate: 0, streamCut: 0,
  };
  url = '';
  readonly #sockets = new Set<Socket>();
  #upstreamPort = 0;
  #server: Server | undefined;

  private constructor(private readonly random: Random) {}

  static async start(upstreamUrl: string, random: Random): Promise<FaultProxy> {
    const proxy = new FaultProxy(random);
    proxy.upstream = upstreamUrl;
    const server = createServer((client) => proxy.#accept(client));
    proxy.url = await listenOnLoopback(server);
    proxy.#server = server;
    return proxy;
  }

  /** Where new requests go (a restarted server listens on a new port). */
  set upstream(url: string) {
    this.#upstreamPort = Number(new URL(url).port);
  }

  /** Cuts every open connection, as a network outage would. */
  cutAll(): void {
    for (const socket of this.#sockets) socket.destroy();
  }

  async close(): Promise<void> {
    this.cutAll();
    const server = this.#server;
    if (server) await new Promise<void>((resolve) => server.close(() => resolve()));
  }

  #track(socket: Socket): Socket {
    this.#sockets.add(socket);
    socket.once('close', () => this.#sockets.delete(socket));
    socket.on('error', () => socket.destroy());
    return socket;
  }

  #roll(kind: FaultKind, probability: number): boolean {
    if (probability <= 0 || !this.random.chance(probability)) return false;
    this.counts[kind]++;
    return true;
  }

  #accept(client: Socket): void {
    this.counts.connections++;
    this.#track(client);
    let buffered: Buffer = Buffer.alloc(0);
    let upstream: Socket | undefined;
    let isPassThrough = false;
    let isHung = false;
    /** What happens to the next bytes of the answer to the request in flight. */
    let answerFault: 'cut' | 'reset' | undefined;
    let queue = Promise.resolve();

    const openUpstream = (): Socket => {
      if (upstream && !upstream.destroyed) return upstream;
      const socket = this.#track(connect(this.#upstreamPort, '127.0.0.1'));
      socket.on('data', (chunk: Buffer) => {
        if (answerFault === 'cut') {
          // The server has answered, so it committed; the client never learns it.
          client.destroy();
          socket.destroy();
        } else if (answerFault === 'reset') {
          client.write(chunk.subarray(0, this.random.int(0, chunk.length)), () => client.resetAndDestroy());
          socket.destroy();
        } else if (!isHung) client.write(chunk);
      });
      socket.once('close', () => client.destroy());
      upstream = socket;
      return socket;
    };

    const forward = async (request: FramedRequest) => {
      const rates = this.rates;
      this.counts.requests++;
      if (this.#roll('drop', rates.drop)) return void client.destroy();
      if (this.#roll('halfOpen', rates.halfOpen)) {
        isHung = true; // nothing more is forwarded either way; the client must give up on its own
        return;
      }
      if (this.#roll('delay', rates.delay)) await sleep(this.random.int(0, rates.maxDelayMs));
      if (client.destroyed) return;
      answerFault = undefined;
      if (isPush(request) && this.#roll('cutAfterCommit', rates.cutAfterCommit)) answerFault = 'cut';
      else if (this.#roll('reset', rates.reset)) answerFault = 'reset';
      if (isPush(request) && this.#roll('duplicate', rates.duplicate)) this.#deliverAgain(request, this.random.int(0, 1500));
      if (isStream(request) && this.#roll('streamCut', rates.streamCut)) {
        setTimeout(() => client.resetAndDestroy(), this.random.int(500, 5000));
      }
      openUpstream().write(request.bytes);
    };

    client.on('data', (chunk: Buffer) => {
      if (isHung) return;
      if (isPassThrough) return void openUpstream().write(chunk);
      buffered = Buffer.concat([buffered, chunk]);
      for (;;) {
        const taken = takeRequest(buffered);
        if (taken === undefined) return;
        if (taken === 'unframeable') {
          isPassThrough = true;
          openUpstream().write(buffered);
          return;
        }
        buffered = taken.rest;
        queue = queue.then(() => forward(taken.request));
      }
    });
    client.once('close', () => upstream?.destroy());
  }

  /** The same bytes on a connection of their own; the answer is read and thrown away. */
  #deliverAgain(request: FramedRequest, afterMs: number): void {
    setTimeout(() => {
      const socket = this.#track(connect(this.#upstreamPort, '127.0.0.1'));
      socket.on('data', () => socket.end());
      socket.setTimeout(10_000, () => socket.destroy());
      socket.write(request.bytes);
    }, afterMs);
  }
}
