import { describe, expect, it } from 'vitest';
import { ReplacedStates } from './replaced-states.ts';

const older = { id: 'd1', notes: 'older', updatedAt: 'T1', _deleted: false };
const newer = { id: 'd1', notes: 'newer', updatedAt: 'T2', _deleted: false };

describe('replaced states', () => {
  it('takes a master the server replaced as stale against a newer state, whatever RxDB bookkeeping either carries', () => {
    const replaced = new ReplacedStates();
    replaced.remember('devices', { ...older, _rev: '2-a' });
    expect(replaced.isStale('devices', { ...older, _meta: { lwt: 1 } }, newer)).toBe(true);
    expect(replaced.isStale('risks', older, newer)).toBe(false);
  });

  it('never takes for stale a state nobody replaced, nor one applied over another replaced state', () => {
    const replaced = new ReplacedStates();
    replaced.remember('devices', older);
    expect(replaced.isStale('devices', newer, older)).toBe(false);
    replaced.remember('devices', newer);
    expect(replaced.isStale('devices', older, newer)).toBe(false);
  });
});
