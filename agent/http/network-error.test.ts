import { createServer } from 'node:net';
import { describe, expect, it } from 'vitest';
import { describeNetworkFailure } from './network-error.ts';
import { NetworkFailure, postJson } from './post-json.ts';

/** A port that was free a moment ago: nothing listens there now. */
async function closedPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  await new Promise<void>((resolve) => server.close(() => resolve()));
  if (!address || typeof address === 'string') throw new Error('no port');
  return address.port;
}

describe('network failures', () => {
  it('says "connection refused" for a port nobody listens on, and that nothing was sent', async () => {
    const url = new URL(`http://127.0.0.1:${await closedPort()}/api/agent/ingest`);
    const failure = await postJson(url, '{}').catch((error: unknown) => error);
    expect(failure).toBeInstanceOf(NetworkFailure);
    expect((failure as NetworkFailure).message).toBe(`cannot reach ${url.origin}: connection refused`);
    expect((failure as NetworkFailure).mayHaveReachedServer).toBe(false);
  });

  it('treats a reset or a timeout as possibly delivered', () => {
    expect(describeNetworkFailure(new TypeError('fetch failed', { cause: Object.assign(new Error('x'), { code: 'ECONNRESET' }) }))).toEqual({
      reason: 'connection reset',
      mayHaveReachedServer: true,
    });
    expect(describeNetworkFailure(new DOMException('The operation was aborted due to timeout', 'TimeoutError')).mayHaveReachedServer).toBe(true);
  });

  it('finds the code inside an AggregateError from happy eyeballs', () => {
    const refused = Object.assign(new Error('connect ECONNREFUSED ::1:1'), { code: 'ECONNREFUSED' });
    const error = new TypeError('fetch failed', { cause: new AggregateError([refused]) });
    expect(describeNetworkFailure(error)).toEqual({ reason: 'connection refused', mayHaveReachedServer: false });
  });

  it('names certificate problems', () => {
    const error = new TypeError('fetch failed', { cause: Object.assign(new Error('x'), { code: 'CERT_HAS_EXPIRED' }) });
    expect(describeNetworkFailure(error)).toEqual({ reason: 'its TLS certificate has expired', mayHaveReachedServer: false });
  });
});
