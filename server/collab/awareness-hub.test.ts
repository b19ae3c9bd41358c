import { describe, expect, test } from 'vitest';
import * as Y from 'yjs';
import { Awareness, applyAwarenessUpdate, encodeAwarenessUpdate } from 'y-protocols/awareness';
import { AWARENESS_TTL_MS, AwarenessHub, AwarenessRejected, stampAwarenessUpdate } from './awareness-hub.ts';

function clientUpdate(state: Record<string, unknown> | null): { awareness: Awareness; update: Uint8Array } {
  const awareness = new Awareness(new Y.Doc());
  awareness.setLocalState(state);
  return { awareness, update: encodeAwarenessUpdate(awareness, [awareness.clientID]) };
}

function decodedStates(update: Uint8Array): Map<number, Record<string, unknown>> {
  const receiver = new Awareness(new Y.Doc());
  applyAwarenessUpdate(receiver, update, 'test');
  return receiver.getStates() as Map<number, Record<string, unknown>>;
}

describe('stampAwarenessUpdate', () => {
  test('replaces the claimed user with the signed-in one and keeps the cursor', () => {
    const { awareness, update } = clientUpdate({ user: { name: 'Someone Else' }, cursor: { anchor: 3, head: 5 } });
    const stamped = stampAwarenessUpdate(update, { userId: 'u-1', name: 'Amira Haddad' });
    expect(stamped.clientId).toBe(awareness.clientID);
    const state = decodedStates(stamped.update).get(awareness.clientID);
    expect(state?.['user']).toMatchObject({ name: 'Amira Haddad', userId: 'u-1' });
    expect(state?.['cursor']).toEqual({ anchor: 3, head: 5 });
  });

  test('refuses garbage, several clients at once, and oversized updates', () => {
    expect(() => stampAwarenessUpdate(new Uint8Array([0xff, 0xff, 0xff]), { userId: 'u', name: 'n' })).toThrow(AwarenessRejected);
    expect(() => stampAwarenessUpdate(new Uint8Array(), { userId: 'u', name: 'n' })).toThrow(AwarenessRejected);
    const a = new Awareness(new Y.Doc());
    const b = new Awareness(new Y.Doc());
    a.setLocalState({ x: 1 });
    b.setLocalState({ y: 2 });
    applyAwarenessUpdate(a, encodeAwarenessUpdate(b, [b.clientID]), 'test');
    expect(() => stampAwarenessUpdate(encodeAwarenessUpdate(a, [a.clientID, b.clientID]), { userId: 'u', name: 'n' })).toThrow(/exactly one/);
    expect(() => stampAwarenessUpdate(new Uint8Array(20_000), { userId: 'u', name: 'n' })).toThrow(/bytes/);
  });
});

describe('AwarenessHub', () => {
  test('a newcomer receives the live states, then new updates; expired states are dropped', () => {
    let now = 1_000;
    const hub = new AwarenessHub(() => now);
    hub.publish('runbooks/r1/body', 1, new Uint8Array([1]), 'u1');
    hub.publish('runbooks/r2/body', 2, new Uint8Array([2]), 'u2');
    const received: number[] = [];
    const unsubscribe = hub.subscribe('runbooks/r1/body', (update) => received.push(update[0] ?? -1));
    expect(received).toEqual([1]);
    hub.publish('runbooks/r1/body', 3, new Uint8Array([3]), 'u3');
    expect(received).toEqual([1, 3]);
    unsubscribe();

    now += AWARENESS_TTL_MS;
    const late: number[] = [];
    hub.subscribe('runbooks/r1/body', (update) => late.push(update[0] ?? -1));
    expect(late).toEqual([]);
  });

  test("a client id cannot be taken over by another user while it is live", () => {
    let now = 0;
    const hub = new AwarenessHub(() => now);
    hub.publish('k', 7, new Uint8Array([1]), 'owner');
    expect(() => hub.publish('k', 7, new Uint8Array([2]), 'intruder')).toThrow(AwarenessRejected);
    now += AWARENESS_TTL_MS;
    expect(() => hub.publish('k', 7, new Uint8Array([3]), 'intruder')).not.toThrow();
  });
});
