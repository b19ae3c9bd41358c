import { Hono } from 'hono';
import { describe, expect, it } from 'vitest';
import { BodyBudget } from './body-budget.ts';
import { ApiError, errorResponse } from './errors.ts';
import { readJsonBody } from './json-body.ts';
import { limitBody } from './limit-body.ts';

const KiB = 1024;

/** A chunked upload whose bytes the test hands over one chunk at a time, counting what was taken. */
class Upload {
  pulledBytes = 0;
  readonly #chunks: Uint8Array[] = [];
  #wake: (() => void) | undefined;
  #isDone = false;
  readonly stream = new ReadableStream<Uint8Array>(
    {
      pull: async (controller) => {
        while (this.#chunks.length === 0 && !this.#isDone) await new Promise<void>((resolve) => (this.#wake = resolve));
        const chunk = this.#chunks.shift();
        if (!chunk) return controller.close();
        this.pulledBytes += chunk.byteLength;
        controller.enqueue(chunk);
      },
    },
    // Nothing is pulled ahead of the reader: pulledBytes is what the server asked for.
    { highWaterMark: 0 },
  );

  send(text: string): void {
    this.#chunks.push(new TextEncoder().encode(text));
    this.#wake?.();
  }

  end(): void {
    this.#isDone = true;
    this.#wake?.();
  }
}

/** An app shaped like Outpost's: authentication, then the body limit, then a route that reads JSON. */
function appWith(budget: BodyBudget, maxBytes: number) {
  const app = new Hono();
  app.use('*', async (c, next) => {
    if (c.req.header('authorization') !== 'yes') throw new ApiError(401, 'unauthenticated', 'sign in to continue');
    await next();
  });
  app.use('*', limitBody(maxBytes, `request body must be at most ${maxBytes} bytes`, budget));
  app.post('/echo', async (c) => c.json({ size: JSON.stringify(await readJsonBody(c)).length }));
  app.onError((error, c) => errorResponse(c, error instanceof ApiError ? error : new ApiError(500, 'internal_error', String(error))));
  return app;
}

const post = (app: Hono, upload: Upload, authorization = 'yes') =>
  app.request('/echo', { method: 'POST', headers: { 'content-type': 'application/json', authorization }, body: upload.stream, duplex: 'half' } as RequestInit);

/** Waits until `predicate` holds (the server reads on its own schedule). */
async function until(predicate: () => boolean): Promise<void> {
  const deadline = Date.now() + 5_000;
  while (!predicate()) {
    if (Date.now() > deadline) throw new Error('timed out');
    await new Promise((resolve) => setTimeout(resolve, 5));
  }
}

describe('limitBody', () => {
  it('lets authentication refuse a request before a byte of its body is read', async () => {
    const upload = new Upload();
    upload.send(`{"padding":"${'x'.repeat(100 * KiB)}`);
    const response = await post(appWith(new BodyBudget(1024 * KiB), 8 * 1024 * KiB), upload, 'no');
    expect(response.status).toBe(401);
    expect(upload.pulledBytes).toBe(0);
  });

  it('stops reading a chunked body at the first chunk past the limit', async () => {
    const upload = new Upload();
    for (let i = 0; i < 10; i++) upload.send(`{"p${i}":"${'x'.repeat(10 * KiB)}",`);
    const response = await post(appWith(new BodyBudget(1024 * KiB), 25 * KiB), upload);
    expect(response.status).toBe(413);
    expect(((await response.json()) as { error: { code: string } }).error.code).toBe('body_too_large');
    expect(upload.pulledBytes).toBeLessThan(40 * KiB);
  });

  it('refuses large bodies past the budget of bytes in flight with 503 and Retry-After, and takes them again once it frees', async () => {
    const budget = new BodyBudget(300 * KiB, 64 * KiB);
    const app = appWith(budget, 1024 * KiB);
    const first = new Upload();
    const second = new Upload();
    const answers = [post(app, first), post(app, second)];
    first.send(`{"a":"${'x'.repeat(140 * KiB)}`);
    second.send(`{"b":"${'x'.repeat(140 * KiB)}`);
    await until(() => budget.inFlightBytes > 280 * KiB);

    // A third large body finds no room: refused as soon as it passes the small-body allowance.
    const third = new Upload();
    third.send(`{"c":"${'x'.repeat(100 * KiB)}`);
    const refused = await post(app, third);
    expect(refused.status).toBe(503);
    expect(refused.headers.get('retry-after')).toBe('1');
    expect(((await refused.json()) as { error: { code: string } }).error.code).toBe('server_busy');
    expect(third.pulledBytes).toBeLessThanOrEqual(100 * KiB + 8);

    // Small bodies are not counted: they pass while the large ones hold the budget.
    const small = new Upload();
    small.send('{"ok":true}');
    small.end();
    expect((await post(app, small)).status).toBe(200);

    for (const upload of [first, second]) {
      upload.send('"}');
      upload.end();
    }
    expect((await Promise.all(answers)).map((r) => r.status)).toEqual([200, 200]);
    expect(budget.inFlightBytes).toBe(0);

    const again = new Upload();
    again.send(`{"c":"${'x'.repeat(100 * KiB)}"}`);
    again.end();
    expect((await post(app, again)).status).toBe(200);
  });
});

describe('BodyBudget', () => {
  it('lets a body alone use more than the whole budget, so a small budget never blocks every request', () => {
    const budget = new BodyBudget(100, 10);
    const lease = budget.lease();
    expect(lease.take(500)).toBe(true);
    expect(budget.lease().take(50)).toBe(false);
    lease.release();
    expect(budget.inFlightBytes).toBe(0);
  });

  it('counts a body in full once it grows past the small-body allowance', () => {
    const budget = new BodyBudget(1000, 100);
    const lease = budget.lease();
    expect(lease.take(60)).toBe(true);
    expect(budget.inFlightBytes).toBe(0);
    expect(lease.take(60)).toBe(true);
    expect(budget.inFlightBytes).toBe(120);
  });
});
