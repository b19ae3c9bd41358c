import { isIP } from 'node:net';

/** A name a server certificate covers, as subjectAltName tells them apart. */
export type CertificateHost = { kind: 'dns'; name: string } | { kind: 'ip'; address: string };

/** Always covered, so the server also works from its own machine. */
export const LOOPBACK_HOSTS: readonly CertificateHost[] = [
  { kind: 'dns', name: 'localhost' },
  { kind: 'ip', address: '127.0.0.1' },
];

const DNS_LABEL = /^(?!-)[a-z0-9-]{1,63}(?<!-)$/;

/** Reads one host as a person types it; the error says what was expected. */
export function parseCertificateHost(input: string): CertificateHost {
  const trimmed = input.trim();
  if (/[/:]/.test(trimmed) && isIP(trimmed.replace(/^\[(.*)\]$/, '$1')) === 0) {
    throw new Error(`${JSON.stringify(input)} is not a host: give the name or address alone, without scheme, port or path (e.g. outpost.local)`);
  }
  const address = trimmed.replace(/^\[(.*)\]$/, '$1');
  if (isIP(address) === 4) return { kind: 'ip', address };
  if (isIP(address) === 6) {
    // A zone (fe80::1%eth0) means nothing to another machine; an embedded IPv4 is written as IPv4.
    if (/[%.]/.test(address)) throw new Error(`${JSON.stringify(input)}: give a plain IPv6 address (no zone, no embedded IPv4)`);
    return { kind: 'ip', address: address.toLowerCase() };
  }
  const name = trimmed.toLowerCase().replace(/\.$/, '');
  // All digits and dots is a mistyped IPv4 address (10.20.5), not a name.
  const isDnsName = name.length <= 253 && !/^[\d.]+$/.test(name) && name.split('.').every((label) => DNS_LABEL.test(label));
  if (!isDnsName) {
    throw new Error(`${JSON.stringify(input)} is neither a DNS name (e.g. outpost.local) nor an IP address (e.g. 10.20.0.5)`);
  }
  return { kind: 'dns', name };
}

/** The hosts given plus the loopback ones, each once, in the order given. */
export function certificateHosts(inputs: readonly string[]): CertificateHost[] {
  const seen = new Set<string>();
  return [...inputs.map(parseCertificateHost), ...LOOPBACK_HOSTS].filter((host) => {
    const key = hostLabel(host);
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
}

export function hostLabel(host: CertificateHost): string {
  return host.kind === 'dns' ? host.name : host.address;
}
