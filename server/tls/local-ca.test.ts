import { X509Certificate, createHash, createPrivateKey } from 'node:crypto';
import forge from 'node-forge';
import { beforeAll, describe, expect, it } from 'vitest';
import { certificateHosts } from './hosts.ts';
import { createLocalCa, issueServerCertificate, spkiSha256, type PemPair } from './local-ca.ts';

const DAY_MS = 24 * 60 * 60 * 1000;
const now = new Date('2026-03-01T12:00:00Z');

/** Key usage bits, read with forge: node:crypto's X509Certificate shows only the extended ones. */
function keyUsage(certPem: string): Record<string, unknown> {
  const extension = forge.pki.certificateFromPem(certPem).getExtension('keyUsage');
  return (extension ?? {}) as Record<string, unknown>;
}

describe('local CA', () => {
  let ca: PemPair;
  let server: PemPair;
  beforeAll(() => {
    ca = createLocalCa({ machineName: 'field_kit', now });
    server = issueServerCertificate(ca, certificateHosts(['outpost.local', '10.20.0.5', 'fd00::5']), { now });
  });

  it('makes a ten-year CA named after the machine, for signing certificates only', () => {
    const cert = new X509Certificate(ca.cert);
    expect(cert.ca).toBe(true);
    expect(cert.subject).toContain('CN=Outpost local CA (field_kit)');
    expect(cert.checkIssued(cert)).toBe(true);
    expect(new Date(cert.validTo).getUTCFullYear()).toBe(2036);
    expect(keyUsage(ca.cert)).toMatchObject({ critical: true, keyCertSign: true, cRLSign: true, digitalSignature: false });
    expect(cert.checkPrivateKey(createPrivateKey(ca.key))).toBe(true);
  });

  it('issues a server certificate signed by the CA for every host, localhost and 127.0.0.1', () => {
    const cert = new X509Certificate(server.cert);
    const caCert = new X509Certificate(ca.cert);
    expect(cert.ca).toBe(false);
    expect(cert.checkIssued(caCert)).toBe(true);
    expect(cert.verify(caCert.publicKey)).toBe(true);
    expect(cert.subjectAltName?.split(', ')).toEqual([
      'DNS:outpost.local',
      'IP Address:10.20.0.5',
      'IP Address:FD00:0:0:0:0:0:0:5',
      'DNS:localhost',
      'IP Address:127.0.0.1',
    ]);
    expect(cert.checkHost('outpost.local')).toBe('outpost.local');
    expect(cert.checkIP('10.20.0.5')).toBe('10.20.0.5');
    expect(cert.checkHost('other.local')).toBeUndefined();
    expect(cert.keyUsage).toEqual(['1.3.6.1.5.5.7.3.1']);
    expect(keyUsage(server.cert)).toMatchObject({ keyCertSign: false, digitalSignature: true, keyEncipherment: true });
    expect(cert.checkPrivateKey(createPrivateKey(server.key))).toBe(true);
  });

  it('makes the server certificate last 397 days, from a few minutes back', () => {
    const cert = new X509Certificate(server.cert);
    expect(new Date(cert.validTo).getTime() - now.getTime()).toBe(397 * DAY_MS);
    expect(now.getTime() - new Date(cert.validFrom).getTime()).toBe(5 * 60 * 1000);
  });

  it('never lets a server certificate outlive its CA', () => {
    const late = new Date(new X509Certificate(ca.cert).validTo).getTime() - 30 * DAY_MS;
    const cert = new X509Certificate(issueServerCertificate(ca, certificateHosts([]), { now: new Date(late) }).cert);
    expect(cert.validTo).toBe(new X509Certificate(ca.cert).validTo);
  });

  it('gives every certificate its own serial number', () => {
    const again = issueServerCertificate(ca, certificateHosts([]), { now });
    expect(new X509Certificate(again.cert).serialNumber).not.toBe(new X509Certificate(server.cert).serialNumber);
  });

  it('reports the SPKI hash Chromium takes: SHA-256 of the certificate public key, base64', () => {
    const spki = new X509Certificate(server.cert).publicKey.export({ type: 'spki', format: 'der' });
    expect(spkiSha256(server.key)).toBe(createHash('sha256').update(spki).digest('base64'));
  });
});
