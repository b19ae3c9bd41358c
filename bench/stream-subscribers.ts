import { fetchWithCookie } from '../test/support/server.ts';
import { openStreams } from './open-streams.ts';

/**
 * A process holding BENCH_STREAMS live streams open on BENCH_URL as BENCH_COOKIE: the other
 * clients of the propagation bench, on their own event loop as other devices would be.
 */
const url = process.env['BENCH_URL'] ?? '';
const count = Number(process.env['BENCH_STREAMS'] ?? 100);
const streams = await openStreams({ url, fetch: fetchWithCookie(process.env['BENCH_COOKIE'] ?? '') }, count);
console.log(`${count} subscribers connected to ${url}`);
process.on('SIGTERM', () => {
  streams.close();
  process.exit(0);
});
