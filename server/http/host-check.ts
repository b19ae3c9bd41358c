import { networkInterfaces } from 'node:os';
import type { MiddlewareHandler } from 'hono';
import type { AppEnv } from './app-env.ts';
import { isFromTrustedProxy, peerAddress } from './edge.ts';
import { ApiError } from './errors.ts';
import { configuredHostName, hostNameOf } from './host-name.ts';
import { requestOrigin } from './request-origin.ts';

export interface HostPolicyOptions {
  /** OUTPOST_PUBLIC_URL's origin: then its host is the name the server answers to. */
  publicOrigin?: string | undefined;
  /** Names answered to besides (OUTPOST_ALLOWED_HOSTS, the names of a local TLS certificate). */
  allowedHosts?: readonly string[];
  /** HOST: a specific address (not 0.0.0.0 or ::) is one the server is reached at. */
  listenHost?: string | undefined;
  /** The machine's own addresses; os.networkInterfaces() unless a test says otherwise. */
  interfaceAddresses?: () => readonly string[];
}

const LOOPBACK_NAMES = ['localhost', '127.0.0.1', '::1'];
const WILDCARD_ADDRESSES = new Set(['0.0.0.0', '::', '']);
/** A miss re-reads the interfaces (DHCP, a new VPN), but at most this often. */
const INTERFACE_REFRESH_MS = 5_000;

/** Every address of every interface, without an IPv6 zone (a Host header cannot carry one). */
export function ownInterfaceAddresses(): string[] {
  try {
    return Object.values(networkInterfaces())
      .flatMap((entries) => entries ?? [])
      .map((entry) => entry.address.replace(/%.*$/, '').toLowerCase());
  } catch {
    // e.g. a sandbox without netlink sockets: the names configured still work.
    return [];
  }
}

/**
 * The host names this server answers to. DNS rebinding points an attacker's name at this
 * server's address; the victim's browser then sends the attacker's name as Host, with the
 * page's own origin, so the Origin check and SameSite cookies see nothing cross-site. Only the
 * Host tells: a name we do not know is refused.
 */
export class HostPolicy {
  readonly publicOrigin: string | undefined;
  readonly #named: ReadonlySet<string>;
  readonly #interfaceAddresses: (() => readonly string[]) | undefined;
  #interfaces: ReadonlySet<string> = new Set();
  #interfacesReadAt = -Infinity;

  constructor(options: HostPolicyOptions = {}) {
    this.publicOrigin = options.publicOrigin;
    const listenHost = options.listenHost === undefined || WILDCARD_ADDRESSES.has(options.listenHost) ? undefined : configuredHostName(options.listenHost);
    const own = this.publicOrigin === undefined ? [...LOOPBACK_NAMES, ...(listenHost === undefined ? [] : [listenHost])] : [hostNameOf(new URL(this.publicOrigin))];
    this.#named = new Set([...own, ...(options.allowedHosts ?? []).flatMap((name) => configuredHostName(name) ?? [])]);
    // With a public URL, browsers come by that name: one at a bare address went around the proxy.
    this.#interfaceAddresses = this.publicOrigin === undefined ? (options.interfaceAddresses ?? ownInterfaceAddresses) : undefined;
  }

  accepts(hostName: string, now = Date.now()): boolean {
    if (this.#named.has(hostName)) return true;
    if (!this.#interfaceAddresses) return false;
    if (this.#interfaces.has(hostName)) return true;
    if (now - this.#interfacesReadAt < INTERFACE_REFRESH_MS) return false;
    this.#interfacesReadAt = now;
    this.#interfaces = new Set(this.#interfaceAddresses());
    return this.#interfaces.has(hostName);
  }

  /** What the person who opened the wrong name should do about it. */
  refusal(hostName: string): string {
    const name = `"${hostName.slice(0, 100)}"`;
    return this.publicOrigin === undefined
      ? `this server does not answer to ${name}: open it at localhost or one of its own addresses, or set OUTPOST_PUBLIC_URL (served under one name) or OUTPOST_ALLOWED_HOSTS (comma-separated names)`
      : `this server answers as ${this.publicOrigin} (OUTPOST_PUBLIC_URL), not ${name}: open ${this.publicOrigin}, or add the name to OUTPOST_ALLOWED_HOSTS`;
  }
}

/**
 * Refuses a request for a host name the server does not answer to with 421 Misdirected Request.
 * Behind a trusted proxy the name is its X-Forwarded-Host when it sends one (some proxies rewrite
 * Host); the proxy must then overwrite, not pass on, the client's own (see deploy/).
 */
export function hostCheck(policy: HostPolicy): MiddlewareHandler<AppEnv> {
  return async (c, next) => {
    const hostName = hostNameOf(requestOrigin(c));
    if (policy.accepts(hostName)) return next();
    let message = policy.refusal(hostName);
    if (c.req.header('x-forwarded-host') !== undefined && !isFromTrustedProxy(c)) {
      message += `; X-Forwarded-Host was ignored: ${peerAddress(c) ?? 'the peer'} is not in OUTPOST_TRUSTED_PROXIES`;
    }
    throw new ApiError(421, 'misdirected_request', message);
  };
}
