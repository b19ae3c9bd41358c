import { describe, expect, it } from 'vitest';
import { certificateHosts, parseCertificateHost } from './hosts.ts';

describe('parseCertificateHost', () => {
  it('reads DNS names (lower case, without a trailing dot) and IPv4 and IPv6 addresses', () => {
    expect(parseCertificateHost('Outpost.Local.')).toEqual({ kind: 'dns', name: 'outpost.local' });
    expect(parseCertificateHost('field-kit-7')).toEqual({ kind: 'dns', name: 'field-kit-7' });
    expect(parseCertificateHost('10.20.0.5')).toEqual({ kind: 'ip', address: '10.20.0.5' });
    expect(parseCertificateHost('FD00::5')).toEqual({ kind: 'ip', address: 'fd00::5' });
    expect(parseCertificateHost('[::1]')).toEqual({ kind: 'ip', address: '::1' });
  });

  it.each([
    ['bad_host', /neither a DNS name .* nor an IP address/],
    ['', /neither a DNS name/],
    ['-outpost.local', /neither a DNS name/],
    ['outpost..local', /neither a DNS name/],
    [`${'a'.repeat(64)}.local`, /neither a DNS name/],
    ['10.20.5', /neither a DNS name/],
    ['300.1.1.1', /neither a DNS name/],
    ['https://outpost.local', /without scheme, port or path/],
    ['outpost.local:8787', /without scheme, port or path/],
    ['fe80::1%eth0', /plain IPv6 address/],
  ])('refuses %j with a message saying what was expected', (input, message) => {
    expect(() => parseCertificateHost(input)).toThrow(message);
  });
});

describe('certificateHosts', () => {
  it('adds localhost and 127.0.0.1 after the hosts given, each name once', () => {
    expect(certificateHosts(['outpost.local', '127.0.0.1', 'OUTPOST.local'])).toEqual([
      { kind: 'dns', name: 'outpost.local' },
      { kind: 'ip', address: '127.0.0.1' },
      { kind: 'dns', name: 'localhost' },
    ]);
  });
});
