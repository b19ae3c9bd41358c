import { networkInterfaces } from 'node:os';

const WILDCARDS = new Set(['0.0.0.0', '::', '[::]']);
const isLoopback = (host: string) => host === 'localhost' || host === '::1' || host === '[::1]' || host.startsWith('127.');

/** Every URL the server can be reached at: the listen address, or each interface's address when it listens on all of them. */
export function reachableUrls(url: string, listenHost: string): string[] {
  if (!WILDCARDS.has(listenHost)) return [url];
  const { protocol, port } = new URL(url);
  const addresses = Object.values(networkInterfaces())
    .flat()
    .filter((entry) => entry !== undefined && (entry.family === 'IPv4' || !listenHost.includes('0.0.0.0')))
    .filter((entry) => entry !== undefined && !entry.address.startsWith('fe80:'))
    .map((entry) => (entry?.family === 'IPv6' ? `[${entry.address}]` : String(entry?.address)));
  return addresses.map((address) => `${protocol}//${address}:${port}`);
}

/**
 * What to tell the person starting the server when phones could not use it: over plain HTTP, a
 * browser treats any address but localhost as insecure, and Outpost cannot work offline there.
 */
export function httpsAdvice(urls: readonly string[]): string | undefined {
  const exposed = urls.filter((url) => url.startsWith('http:') && !isLoopback(new URL(url).hostname));
  if (exposed.length === 0) return undefined;
  return [
    'Phones and other computers need HTTPS: over plain HTTP at an address other than localhost, browsers do not let Outpost keep data on the device.',
    'For a site without a domain: `npm run tls -- --host <name or address>` (a local certificate authority; then open /setup on each phone).',
    'With a certificate: OUTPOST_TLS_CERT and OUTPOST_TLS_KEY, or run behind an HTTPS reverse proxy (deploy/Caddyfile). See "Deploying for real" in the README.',
  ].join('\n  ');
}
