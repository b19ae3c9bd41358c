import { isIP } from 'node:net';

/** Characters an authority (host[:port]) never has; URL would read them as path, user or query. */
const NOT_IN_AUTHORITY = /[\s/\\?#@%]/;

/**
 * `protocol//authority` as a URL when `authority` is a bare host[:port] (a Host or
 * X-Forwarded-Host header), else undefined. Lower case, IPv6 compressed, default port dropped.
 */
export function authorityUrl(protocol: 'http:' | 'https:', authority: string): URL | undefined {
  if (authority === '' || NOT_IN_AUTHORITY.test(authority)) return undefined;
  try {
    return new URL(`${protocol}//${authority}`);
  } catch {
    return undefined;
  }
}

/**
 * A URL's host name in the one spelling hosts are compared in: no port, IPv6 without brackets,
 * no trailing dot (`example.com.` is the same name).
 */
export function hostNameOf(url: URL): string {
  return url.hostname.replace(/^\[(.*)\]$/, '$1').replace(/\.$/, '');
}

/** An OUTPOST_ALLOWED_HOSTS entry (a name or an address, no port) in that spelling, or undefined. */
export function configuredHostName(entry: string): string | undefined {
  const unbracketed = entry.replace(/^\[(.*)\]$/, '$1');
  if (isIP(unbracketed) === 6) return hostNameOf(new URL(`http://[${unbracketed}]`));
  // A colon left means a port or a scheme: the Host check compares names only.
  if (entry.includes(':')) return undefined;
  const url = authorityUrl('http:', entry);
  const name = url && hostNameOf(url);
  return name && /^[a-z0-9.-]+$/.test(name) ? name : undefined;
}
