import { modifyAwarenessUpdate } from 'y-protocols/awareness';
import * as decoding from 'lib0/decoding';

/** Cursors and names are presence, not data: a state not renewed this long is gone. */
export const AWARENESS_TTL_MS = 30_000;
export const AWARENESS_MAX_BYTES = 16 * 1024;

export interface AwarenessAuthor {
  userId: string;
  name: string;
}

interface Entry {
  update: Uint8Array;
  userId: string;
  receivedAt: number;
}

type Listener = (update: Uint8Array) => void;

export class AwarenessRejected extends Error {}

/** Dark enough for white caret labels (WCAG AA), distinct from each other. */
const PALETTE = ['#1d4ed8', '#b91c1c', '#047857', '#7c3aed', '#b45309', '#be185d', '#0e7490', '#4d7c0f'] as const;

/** A stable colour per user, so everyone sees the same person in the same colour. */
export function colourFor(userId: string): { color: string; colorLight: string } {
  let hash = 0;
  for (const char of userId) hash = (hash * 31 + char.charCodeAt(0)) >>> 0;
  const color = PALETTE[hash % PALETTE.length] ?? PALETTE[0];
  return { color, colorLight: `${color}33` };
}

/**
 * Reads an awareness update from a client: exactly one client entry, whose state (null when the
 * client leaves) gets its `user` field rewritten from the session, so nobody can type under
 * another person's name.
 */
export function stampAwarenessUpdate(update: Uint8Array, author: AwarenessAuthor): { clientId: number; update: Uint8Array } {
  if (update.length === 0 || update.length > AWARENESS_MAX_BYTES) throw new AwarenessRejected(`an awareness update is 1 to ${AWARENESS_MAX_BYTES} bytes`);
  let clientId: number;
  try {
    const decoder = decoding.createDecoder(update);
    if (decoding.readVarUint(decoder) !== 1) throw new AwarenessRejected('an awareness update describes exactly one client');
    clientId = decoding.readVarUint(decoder);
    decoding.readVarUint(decoder);
    const state: unknown = JSON.parse(decoding.readVarString(decoder));
    if (state !== null && (typeof state !== 'object' || Array.isArray(state))) throw new AwarenessRejected('an awareness state is an object or null');
    if (decoding.hasContent(decoder)) throw new AwarenessRejected('trailing bytes after the awareness update');
  } catch (error) {
    if (error instanceof AwarenessRejected) throw error;
    throw new AwarenessRejected('not a Yjs awareness update');
  }
  const stamped = modifyAwarenessUpdate(update, (state: Record<string, unknown> | null) =>
    state === null ? null : { ...state, user: { name: author.name, ...colourFor(author.userId), userId: author.userId } },
  );
  return { clientId, update: stamped };
}

/**
 * Presence per collaborative text, relayed between the editors connected to this server
 * instance. Only the latest update of each client is kept, so a newcomer sees everyone at once.
 */
export class AwarenessHub {
  readonly #rooms = new Map<string, { entries: Map<number, Entry>; listeners: Set<Listener> }>();

  constructor(private readonly now: () => number = Date.now) {}

  #room(key: string) {
    let room = this.#rooms.get(key);
    if (!room) {
      room = { entries: new Map(), listeners: new Set() };
      this.#rooms.set(key, room);
    }
    return room;
  }

  publish(key: string, clientId: number, update: Uint8Array, userId: string): void {
    const room = this.#room(key);
    const owner = room.entries.get(clientId);
    // A client id belongs to the user who first used it, until it expires.
    if (owner && owner.userId !== userId && this.now() - owner.receivedAt < AWARENESS_TTL_MS) {
      throw new AwarenessRejected('this awareness client id belongs to someone else');
    }
    room.entries.set(clientId, { update, userId, receivedAt: this.now() });
    for (const listener of room.listeners) listener(update);
  }

  /** The live states of a room, then every new update until `unsubscribe` is called. */
  subscribe(key: string, listener: Listener): () => void {
    const room = this.#room(key);
    for (const [clientId, entry] of room.entries) {
      if (this.now() - entry.receivedAt >= AWARENESS_TTL_MS) room.entries.delete(clientId);
      else listener(entry.update);
    }
    room.listeners.add(listener);
    return () => {
      room.listeners.delete(listener);
      if (room.listeners.size === 0 && room.entries.size === 0) this.#rooms.delete(key);
    };
  }

  /** Drops expired states and empty rooms (called periodically). */
  sweep(): void {
    for (const [key, room] of this.#rooms) {
      for (const [clientId, entry] of room.entries) if (this.now() - entry.receivedAt >= AWARENESS_TTL_MS) room.entries.delete(clientId);
      if (room.entries.size === 0 && room.listeners.size === 0) this.#rooms.delete(key);
    }
  }
}
