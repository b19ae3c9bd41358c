/**
 * Run as a child process by the outbox tests: enqueues records (and optionally marks them as
 * in flight, as a delivery does before its request), then kills itself with SIGKILL, the way
 * a power cut or `kill -9` would end the agent, without closing anything.
 */
import { openAgentDatabase } from '../state/database.ts';
import { Outbox } from '../outbox/outbox.ts';
import { heartbeatAt } from './records.ts';

const [path, countText, mode] = process.argv.slice(2);
if (!path || !countText) throw new Error('usage: enqueue-and-die.ts <db> <count> [mark]');
const outbox = new Outbox(openAgentDatabase(path));
const start = Date.parse('2026-03-02T10:00:00Z');
const records = Array.from({ length: Number(countText) }, (_, i) => heartbeatAt(start + i * 60_000));
outbox.enqueue(records);
if (mode === 'mark') outbox.markMaybeDelivered(records.map((r) => r.id));
process.stdout.write(`${records.map((r) => r.id).join('\n')}\n`, () => process.kill(process.pid, 'SIGKILL'));
