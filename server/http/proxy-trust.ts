import proxyAddr from 'proxy-addr';

/**
 * Is the hop at `address` a reverse proxy we trust to report the hop before it? Hop 0 is the TCP
 * peer; proxy-addr asks hop by hop, from the right of X-Forwarded-For.
 */
export type ProxyTrust = (address: string, hop: number) => boolean;

export const TRUST_NO_PROXY: ProxyTrust = () => false;

/** proxy-addr's names for whole ranges, accepted beside addresses and CIDRs. */
export const PROXY_RANGE_NAMES = ['loopback', 'linklocal', 'uniquelocal'] as const;

/** Why one OUTPOST_TRUSTED_PROXIES entry is not usable, or undefined when it is. */
export function trustedProxyProblem(entry: string): string | undefined {
  try {
    // The same parser that will judge the addresses, so what passes here cannot fail later.
    proxyAddr.compile(entry);
    return undefined;
  } catch {
    return `"${entry.slice(0, 100)}" is not an IP address, a CIDR range (10.0.0.0/8) or one of ${PROXY_RANGE_NAMES.join(', ')}`;
  }
}

export function compileProxyTrust(entries: readonly string[]): ProxyTrust {
  return entries.length === 0 ? TRUST_NO_PROXY : proxyAddr.compile([...entries]);
}
