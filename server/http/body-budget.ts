/**
 * The bytes of request bodies being read or held, across every request. Each body has its own
 * limit (limitBody); this caps their sum, so many large uploads at once cannot exhaust the
 * server's memory: past it, a request is answered 503 with Retry-After and the rest of its body
 * is not read.
 *
 * Bodies up to `smallBodyBytes` are not counted, so sign-ins, heartbeats and small pushes keep
 * flowing while large uploads wait; a body that grows past it counts in full.
 */
export class BodyBudget {
  #inFlightBytes = 0;

  constructor(
    readonly maxBytesInFlight: number,
    readonly smallBodyBytes: number = 64 * 1024,
  ) {}

  /** Bytes counted right now. */
  get inFlightBytes(): number {
    return this.#inFlightBytes;
  }

  /** One request's share, released when its response is under way. */
  lease(): BodyLease {
    let seenBytes = 0;
    let heldBytes = 0;
    return {
      take: (bytes) => {
        const seen = seenBytes + bytes;
        if (seen <= this.smallBodyBytes) {
          seenBytes = seen;
          return true;
        }
        const more = seen - heldBytes;
        // A body alone may use the whole budget, even one larger than it: nothing waits on it.
        const isOthersInFlight = this.#inFlightBytes > heldBytes;
        if (isOthersInFlight && this.#inFlightBytes + more > this.maxBytesInFlight) return false;
        seenBytes = seen;
        this.#inFlightBytes += more;
        heldBytes += more;
        return true;
      },
      release: () => {
        this.#inFlightBytes -= heldBytes;
        heldBytes = 0;
      },
    };
  }
}

export interface BodyLease {
  /** Counts `bytes` more of this body; false (nothing counted) when the budget has no room. */
  take(bytes: number): boolean;
  release(): void;
}
