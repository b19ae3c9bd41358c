import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, test } from 'vitest';
import { BackgroundFetcher, mainThreadTextFetch, serveBackgroundFetch, type BackgroundReply, type BackgroundRequest, type MessageEnd } from './background-fetch.ts';
import { pullUrl } from './pull-url.ts';

// A real HTTP server; the two sides talk over a real MessageChannel, as a page and its worker do.
let server: Server;
let base = '';
let openedRequests: string[] = [];
let closedRequests: string[] = [];
const channels: MessageChannel[] = [];

beforeAll(async () => {
  server = createServer((request: IncomingMessage, response) => {
    const path = request.url ?? '';
    openedRequests.push(path);
    // Closed before it was answered: the client gave up on it.
    response.on('close', () => response.writableFinished || closedRequests.push(path));
    if (path === '/page') return void response.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify({ documents: [{ id: 'a', name: 'Zürich ☃' }] }));
    if (path === '/refused') return void response.writeHead(410, { 'content-type': 'application/json' }).end('{"error":{"code":"resync_required"}}');
    if (path === '/reset') return void request.socket.destroy();
    if (path === '/never') return; // answers nothing, like a half-open link
    if (path.startsWith('/pages') && path.includes('/pull?')) {
      // A collection of PAGED documents, one per position, served like the pull route.
      const query = new URL(path, 'http://x').searchParams;
      const at = (JSON.parse(query.get('checkpoint') ?? '{}') as { org?: number }).org ?? 0;
      const next = Math.min(PAGED, at + Number(query.get('limit')));
      const documents = Array.from({ length: next - at }, (_, i) => ({ id: `d${at + i}` }));
      return void response.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify({ documents, checkpoint: { org: next }, remaining: PAGED - next }));
    }
    response.writeHead(404).end();
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterAll(() => new Promise<void>((resolve) => {
  server.closeAllConnections();
  server.close(() => resolve());
}));
afterEach(() => {
  for (const channel of channels.splice(0)) {
    channel.port1.close();
    channel.port2.close();
  }
  openedRequests = [];
  closedRequests = [];
});

function connected(options: { serve?: boolean } = {}) {
  const channel = new MessageChannel();
  channels.push(channel);
  if (options.serve ?? true) {
    serveBackgroundFetch(channel.port2 as unknown as MessageEnd<BackgroundRequest, BackgroundReply>);
    channel.port2.start();
  }
  const fallbackUrls: string[] = [];
  const mainThread = mainThreadTextFetch();
  const fetcher = new BackgroundFetcher(channel.port1 as unknown as MessageEnd<BackgroundReply, BackgroundRequest>, (url, signal) => {
    fallbackUrls.push(url);
    return mainThread(url, signal);
  });
  channel.port1.start();
  return { fetcher, fallbackUrls };
}

const never = () => new AbortController().signal;
const PAGED = 10;
const pathOf = (url: string) => url.slice(base.length);
const requestsFor = (url: string) => openedRequests.filter((path) => path === pathOf(url)).length;

test('answers with the status and the body as text, non-ASCII characters intact', async () => {
  const { fetcher, fallbackUrls } = connected();
  const response = await fetcher.fetchText(`${base}/page`, never());
  expect(response).toEqual({ status: 200, ok: true, text: JSON.stringify({ documents: [{ id: 'a', name: 'Zürich ☃' }] }) });
  expect(fallbackUrls).toEqual([]);
});

test('an error status resolves like fetch, with its body, for the caller to read', async () => {
  const { fetcher } = connected();
  await expect(fetcher.fetchText(`${base}/refused`, never())).resolves.toEqual({ status: 410, ok: false, text: '{"error":{"code":"resync_required"}}' });
});

test('a dropped connection rejects with a TypeError, as fetch does, so the replication retries it', async () => {
  const { fetcher } = connected();
  await expect(fetcher.fetchText(`${base}/reset`, never())).rejects.toBeInstanceOf(TypeError);
});

test('aborting rejects at once with the signal’s reason and ends the request in the worker', async () => {
  const { fetcher } = connected();
  const controller = new AbortController();
  const answer = fetcher.fetchText(`${base}/never`, controller.signal);
  await expect.poll(() => openedRequests).toContain('/never');
  controller.abort(new DOMException('gone', 'TimeoutError'));
  await expect(answer).rejects.toMatchObject({ name: 'TimeoutError' });
  await expect.poll(() => closedRequests).toContain('/never');
  // An already aborted signal never reaches the worker.
  await expect(fetcher.fetchText(`${base}/page`, controller.signal)).rejects.toMatchObject({ name: 'TimeoutError' });
});

test('when the worker cannot run, what it had pending and everything after is fetched on this thread', async () => {
  const { fetcher, fallbackUrls } = connected({ serve: false });
  const pending = fetcher.fetchText(`${base}/page`, never());
  fetcher.fail();
  await expect(pending).resolves.toMatchObject({ status: 200, ok: true });
  await expect(fetcher.fetchText(`${base}/refused`, never())).resolves.toMatchObject({ status: 410 });
  expect(fallbackUrls).toEqual([`${base}/page`, `${base}/refused`]);
});

test('closing abandons what is pending with an AbortError, as the stopped sync expects', async () => {
  const { fetcher, fallbackUrls } = connected();
  const pending = fetcher.fetchText(`${base}/never`, never());
  await expect.poll(() => openedRequests).toContain('/never');
  fetcher.close();
  await expect(pending).rejects.toMatchObject({ name: 'AbortError' });
  expect(fallbackUrls).toEqual([]);
});

describe('the next pull page, fetched ahead', () => {
  // Each test its own collection: a page fetched ahead may still arrive after its test.
  let collection = 0;
  let pagesBase = '';
  beforeEach(() => {
    pagesBase = `${base}/pages-${++collection}`;
  });
  const pages = () => pagesBase;

  test('is on its way while this page is stored: asking for it makes no second request', async () => {
    const { fetcher } = connected();
    const first = await fetcher.fetchText(pullUrl(pages(), undefined, 2), never(), { base: pages(), checkpoint: undefined, limit: 3 });
    expect(JSON.parse(first.text)).toMatchObject({ checkpoint: { org: 2 }, remaining: 8 });
    const second = pullUrl(pages(), { org: 2 }, 3);
    await expect.poll(() => requestsFor(second)).toBe(1);
    const answer = await fetcher.fetchText(second, never(), { base: pages(), checkpoint: { org: 2 }, limit: 3 });
    expect(JSON.parse(answer.text)).toEqual({ documents: [{ id: 'd2' }, { id: 'd3' }, { id: 'd4' }], checkpoint: { org: 5 }, remaining: 5 });
    expect(requestsFor(second)).toBe(1);
  });

  test('is not fetched after the last page', async () => {
    const { fetcher } = connected();
    const last = await fetcher.fetchText(pullUrl(pages(), { org: 7 }, 3), never(), { base: pages(), checkpoint: { org: 7 }, limit: 3 });
    expect(JSON.parse(last.text)).toMatchObject({ remaining: 0 });
    await new Promise((resolve) => setTimeout(resolve, 100));
    expect(openedRequests.filter((path) => path.startsWith(pathOf(pages())))).toEqual([pathOf(pullUrl(pages(), { org: 7 }, 3))]);
  });

  test('is dropped when another page is asked for, which is fetched as asked', async () => {
    const { fetcher } = connected();
    await fetcher.fetchText(pullUrl(pages(), undefined, 2), never(), { base: pages(), checkpoint: undefined, limit: 3 });
    const ahead = pullUrl(pages(), { org: 2 }, 3);
    await expect.poll(() => requestsFor(ahead)).toBe(1);
    // A handover: the replication loop asks from the same place in smaller pages.
    const asked = pullUrl(pages(), { org: 2 }, 1);
    const answer = await fetcher.fetchText(asked, never(), { base: pages(), checkpoint: { org: 2 }, limit: 1 });
    expect(JSON.parse(answer.text)).toMatchObject({ documents: [{ id: 'd2' }], checkpoint: { org: 3 } });
    expect(requestsFor(asked)).toBe(1);
  });
});
