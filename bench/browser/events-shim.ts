/**
 * The part of Node's EventEmitter that pouchdb-browser uses, so the bench page bundles it
 * without a Node polyfill package.
 */
type Listener = (...args: unknown[]) => void;

const LISTENERS = Symbol('listeners');

type Emitter = { [LISTENERS]?: Map<string | symbol, Listener[]> };

/** Created on first use, not in a constructor: PouchDB also mixes these methods into objects the constructor never ran on. */
const listenersOf = (emitter: object) => ((emitter as Emitter)[LISTENERS] ??= new Map());

export default class EventEmitter {

  static listenerCount(emitter: EventEmitter, type: string | symbol): number {
    return emitter.listenerCount(type);
  }

  on(type: string | symbol, listener: Listener): this {
    listenersOf(this).set(type, [...(listenersOf(this).get(type) ?? []), listener]);
    return this;
  }

  addListener(type: string | symbol, listener: Listener): this {
    return this.on(type, listener);
  }

  once(type: string | symbol, listener: Listener): this {
    const wrapper: Listener = (...args) => {
      this.removeListener(type, wrapper);
      listener.apply(this, args);
    };
    return this.on(type, wrapper);
  }

  removeListener(type: string | symbol, listener: Listener): this {
    const remaining = (listenersOf(this).get(type) ?? []).filter((l) => l !== listener);
    if (remaining.length > 0) listenersOf(this).set(type, remaining);
    else listenersOf(this).delete(type);
    return this;
  }

  off(type: string | symbol, listener: Listener): this {
    return this.removeListener(type, listener);
  }

  removeAllListeners(type?: string | symbol): this {
    if (type === undefined) listenersOf(this).clear();
    else listenersOf(this).delete(type);
    return this;
  }

  emit(type: string | symbol, ...args: unknown[]): boolean {
    const listeners = listenersOf(this).get(type);
    if (!listeners || listeners.length === 0) {
      if (type === 'error') throw args[0] instanceof Error ? args[0] : new Error(String(args[0]));
      return false;
    }
    for (const listener of [...listeners]) listener.apply(this, args);
    return true;
  }

  listeners(type: string | symbol): Listener[] {
    return [...(listenersOf(this).get(type) ?? [])];
  }

  listenerCount(type: string | symbol): number {
    return listenersOf(this).get(type)?.length ?? 0;
  }

  setMaxListeners(): this {
    return this;
  }

  getMaxListeners(): number {
    return Number.POSITIVE_INFINITY;
  }
}

// PouchDB copies the emitter's methods onto its constructor with Object.keys(prototype), as
// Node's function-style prototype allows: class methods must be enumerable for that.
for (const key of Object.getOwnPropertyNames(EventEmitter.prototype)) {
  if (key !== 'constructor') Object.defineProperty(EventEmitter.prototype, key, { enumerable: true });
}
