import type { IncomingHttpHeaders } from 'node:http';
import type { HttpBindings, Http2Bindings } from '@hono/node-server';
import type { Context, MiddlewareHandler } from 'hono';
import type { AppEnv } from './app-env.ts';
import { TRUST_NO_PROXY, type ProxyTrust } from './proxy-trust.ts';

/**
 * Where browsers meet this server: the public URL's origin (OUTPOST_PUBLIC_URL) and the reverse
 * proxies trusted to say who and what came before them (OUTPOST_TRUSTED_PROXIES).
 */
export interface Edge {
  /** e.g. https://ops.example.com; undefined when the server is reached directly. */
  publicOrigin: string | undefined;
  trustsProxy: ProxyTrust;
}

/** Reached directly, no proxy trusted: the edge of a request the middleware did not see. */
const DIRECT: Edge = { publicOrigin: undefined, trustsProxy: TRUST_NO_PROXY };

/** Hands the edge to every handler after it (the client address, cookie and checks read it). */
export function useEdge(edge: Edge): MiddlewareHandler<AppEnv> {
  return async (c, next) => {
    c.set('edge', edge);
    await next();
  };
}

export function edgeOf(c: Context<AppEnv>): Edge {
  // Undefined when the app is used without the middleware (a handler unit-tested alone).
  return (c.get('edge') as Edge | undefined) ?? DIRECT;
}

/** The parts of Node's request that proxy-addr reads; an HTTP/1.1 and an HTTP/2 request both have them. */
export interface NodeRequest {
  headers: IncomingHttpHeaders;
  socket: { remoteAddress?: string | undefined };
}

/** The Node request under Hono's, when it runs on the Node adapter (not under app.request()). */
export function nodeRequestOf(c: Context): NodeRequest | undefined {
  const env = c.env as Partial<HttpBindings | Http2Bindings> | undefined;
  return env?.incoming;
}

/** The TCP peer: the client itself, or the proxy in front of it. */
export function peerAddress(c: Context): string | undefined {
  return nodeRequestOf(c)?.socket.remoteAddress;
}

/** Forwarded headers count only from a trusted proxy; from anyone else they are whatever a client wrote. */
export function isFromTrustedProxy(c: Context<AppEnv>): boolean {
  const peer = peerAddress(c);
  return peer !== undefined && edgeOf(c).trustsProxy(peer, 0);
}

/**
 * The last value of a forwarded header: the one our trusted proxy wrote. A proxy that appends
 * keeps the client's own (forgeable) values to the left.
 */
export function lastForwardedValue(c: Context, name: 'x-forwarded-proto' | 'x-forwarded-host'): string | undefined {
  const value = c.req.header(name)?.split(',').at(-1)?.trim();
  return value === '' ? undefined : value;
}

/** Why an OUTPOST_PUBLIC_URL is not an origin browsers could be on, or undefined when it is. */
export function publicOriginProblem(text: string): string | undefined {
  let url: URL;
  try {
    url = new URL(text);
  } catch {
    return 'must be an http(s) origin such as https://ops.example.com';
  }
  if (url.protocol !== 'https:' && url.protocol !== 'http:') return 'must start with https:// (or http://), e.g. https://ops.example.com';
  if (url.username !== '' || url.password !== '') return 'must not carry a user name or password';
  // Outpost serves from the root: a path would be a second, different origin-relative layout.
  if (url.pathname !== '/' || url.search !== '' || url.hash !== '') return `must be an origin without a path, query or fragment, e.g. ${url.origin}`;
  return undefined;
}
