import type { Context } from 'hono';
import type { AppEnv } from './app-env.ts';
import { edgeOf, isFromTrustedProxy, lastForwardedValue } from './edge.ts';
import { authorityUrl, hostNameOf } from './host-name.ts';

/**
 * The origin the request was sent to, as the client sent it. From a trusted proxy,
 * X-Forwarded-Proto and X-Forwarded-Host replace the connection's scheme and Host: TLS ends at
 * the proxy and some proxies rewrite Host, so without them a request made over HTTPS would look
 * like plain HTTP (no Secure cookie, its Origin refused). From anyone else they are ignored: a
 * client could claim HTTPS, or a host name that passes the Host check.
 */
export function requestOrigin(c: Context<AppEnv>): URL {
  const own = new URL(c.req.url);
  if (!isFromTrustedProxy(c)) return new URL(own.origin);
  const forwardedProto = lastForwardedValue(c, 'x-forwarded-proto')?.toLowerCase();
  const protocol = forwardedProto === 'https' || forwardedProto === 'http' ? (`${forwardedProto}:` as const) : (own.protocol as 'http:' | 'https:');
  const forwardedHost = lastForwardedValue(c, 'x-forwarded-host');
  return (forwardedHost === undefined ? undefined : authorityUrl(protocol, forwardedHost)) ?? authorityUrl(protocol, own.host) ?? new URL(own.origin);
}

/**
 * The origin the browser is on. With OUTPOST_PUBLIC_URL, a request for the public host comes
 * from the public origin whatever the hop before us used (TLS often ends at a proxy that says
 * nothing); a request for another allowed name is what it says it is.
 */
export function browserOrigin(c: Context<AppEnv>): string {
  const request = requestOrigin(c);
  const { publicOrigin } = edgeOf(c);
  if (publicOrigin !== undefined && hostNameOf(new URL(publicOrigin)) === hostNameOf(request)) return publicOrigin;
  return request.origin;
}
