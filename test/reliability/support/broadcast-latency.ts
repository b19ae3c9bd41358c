/**
 * Delivery latency for BroadcastChannel, as a browser has it. The log storage's copies of one
 * log (tabs, and several storage instances in one tab: RxDB's replication meta instance, the
 * conflict bases' own) learn of each other's appends by a BroadcastChannel notice. A browser
 * delivers that notice as a task of its own, with no order promised against IndexedDB's
 * completions (on a busy phone, many milliseconds later); in Node it arrives within a turn or
 * two, before the next fake-indexeddb transaction completes, so a copy almost never reads before
 * it caught up. A delay of up to `maxMs` per notice (in order per receiver) gives Node the
 * browser's range of interleavings. Code that is correct never depends on the notice's timing.
 */

type Handler = (this: BroadcastChannel, event: MessageEvent) => unknown;

let maxDelayMs = 0;
let draw: () => number = Math.random;
let isInstalled = false;

/**
 * Sets the latency of notices delivered from now on (0: as Node delivers them). `random` in
 * [0, 1) picks each delay; the run's seeded stream keeps the draws repeatable (not the timing).
 */
export function setBroadcastLatency(maxMs: number, random: () => number = Math.random): void {
  maxDelayMs = maxMs;
  draw = random;
  if (!isInstalled && maxMs > 0) install();
}

/**
 * Delays delivery at the receiver, so a notice posted just before its sender closes still
 * arrives (as the platform queues it at posting), and a closed receiver gets nothing.
 */
function install(): void {
  isInstalled = true;
  const Native = globalThis.BroadcastChannel;
  const nativeOnMessage = Object.getOwnPropertyDescriptor(findAccessorOwner(Native.prototype), 'onmessage');
  if (!nativeOnMessage?.set || !nativeOnMessage.get) throw new Error('BroadcastChannel has no onmessage accessor to wrap');
  const state = new WeakMap<BroadcastChannel, { handler: Handler | null; lastDueAt: number; isClosed: boolean }>();
  const stateOf = (channel: BroadcastChannel) => {
    let found = state.get(channel);
    if (!found) state.set(channel, (found = { handler: null, lastDueAt: 0, isClosed: false }));
    return found;
  };
  class DelayedBroadcastChannel extends Native {
    override close(): void {
      stateOf(this).isClosed = true;
      super.close();
    }
  }
  Object.defineProperty(DelayedBroadcastChannel.prototype, 'onmessage', {
    configurable: true,
    get(this: BroadcastChannel) {
      return stateOf(this).handler;
    },
    set(this: BroadcastChannel, handler: Handler | null) {
      const receiver = stateOf(this);
      receiver.handler = handler;
      nativeOnMessage.set?.call(
        this,
        handler === null
          ? null
          : (event: MessageEvent) => {
              if (maxDelayMs <= 0 && receiver.lastDueAt <= Date.now()) {
                receiver.handler?.call(this, event);
                return;
              }
              // In order per receiver: a later notice never overtakes an earlier one.
              const dueAt = Math.max(Date.now() + Math.floor(draw() * (maxDelayMs + 1)), receiver.lastDueAt);
              receiver.lastDueAt = dueAt;
              const timer = setTimeout(() => {
                if (!receiver.isClosed) receiver.handler?.call(this, event);
              }, dueAt - Date.now());
              // A pending notice must not keep a finished process alive.
              timer.unref();
            },
      );
    },
  });
  globalThis.BroadcastChannel = DelayedBroadcastChannel;
}

/** The prototype that defines onmessage (Node defines it on an EventTarget ancestor). */
function findAccessorOwner(prototype: object): object {
  for (let owner: object | null = prototype; owner !== null; owner = Object.getPrototypeOf(owner) as object | null) {
    if (Object.getOwnPropertyDescriptor(owner, 'onmessage')) return owner;
  }
  return prototype;
}
