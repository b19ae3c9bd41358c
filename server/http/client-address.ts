import type { IncomingMessage } from 'node:http';
import { isIP } from 'node:net';
import type { Context } from 'hono';
import proxyAddr from 'proxy-addr';
import type { AppEnv } from './app-env.ts';
import { edgeOf, nodeRequestOf, type NodeRequest } from './edge.ts';
import type { ProxyTrust } from './proxy-trust.ts';

// proxy-addr reads only `headers` and `socket.remoteAddress`; its types ask for a whole
// IncomingMessage, which an HTTP/2 request is not.
const forwardedAddress = (request: NodeRequest, trust: ProxyTrust): string => proxyAddr(request as IncomingMessage, trust);

/**
 * The address sign-ins are throttled and actions audited under. The TCP peer, unless that peer
 * is a trusted proxy: then X-Forwarded-For, walked from the right while each hop is trusted, so
 * an office behind one proxy does not share one lockout key. A client's own X-Forwarded-For is
 * never believed: it would let an attacker pick the key their attempts are throttled under.
 */
export function clientAddress(c: Context<AppEnv>): string {
  const request = nodeRequestOf(c);
  const peer = request?.socket.remoteAddress;
  if (!request || peer === undefined) return 'unknown';
  const { trustsProxy } = edgeOf(c);
  if (!trustsProxy(peer, 0)) return peer;
  const address = forwardedAddress(request, trustsProxy);
  // Only a misconfigured proxy hands on something else (e.g. "unknown"); the peer is what we know.
  return isIP(address) === 0 ? peer : address;
}
