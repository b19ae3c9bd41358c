import { X509Certificate } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync, statSync, unlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { certificateHosts } from './hosts.ts';
import { issueLocalCertificates } from './issue-local-certificates.ts';
import { localTlsPaths } from './tls-files.ts';

describe('issueLocalCertificates', () => {
  let dataDir: string;
  beforeEach(() => {
    dataDir = mkdtempSync(join(tmpdir(), 'outpost-tls-'));
  });
  afterEach(() => rmSync(dataDir, { recursive: true, force: true }));

  it('writes the CA and a server certificate into data/tls, the keys readable by the owner only', () => {
    const issued = issueLocalCertificates(join(dataDir, 'data'), certificateHosts(['outpost.local']), { machineName: 'kit' });
    const paths = localTlsPaths(join(dataDir, 'data'));
    expect(issued.isCaNew).toBe(true);
    expect(statSync(paths.caKey).mode & 0o777).toBe(0o600);
    expect(statSync(paths.server.keyFile).mode & 0o777).toBe(0o600);
    expect(statSync(paths.dir).mode & 0o777).toBe(0o700);
    expect(readFileSync(paths.caCert, 'utf8')).toBe(issued.ca.cert);
    expect(readFileSync(paths.server.certFile, 'utf8')).toBe(issued.server.cert);
    expect(new X509Certificate(issued.server.cert).checkIssued(new X509Certificate(issued.ca.cert))).toBe(true);
  });

  it('keeps the CA devices already trust and issues a new server certificate with it', () => {
    const first = issueLocalCertificates(dataDir, certificateHosts(['outpost.local']), { machineName: 'kit' });
    const second = issueLocalCertificates(dataDir, certificateHosts(['10.20.0.5']), { machineName: 'other' });
    expect(second.isCaNew).toBe(false);
    expect(second.ca).toEqual(first.ca);
    expect(second.server.cert).not.toBe(first.server.cert);
    expect(new X509Certificate(second.server.cert).checkIssued(new X509Certificate(first.ca.cert))).toBe(true);
    expect(new X509Certificate(second.server.cert).checkIP('10.20.0.5')).toBe('10.20.0.5');
  });

  it('refuses a CA certificate without its key rather than making a second CA', () => {
    issueLocalCertificates(dataDir, certificateHosts([]), { machineName: 'kit' });
    unlinkSync(localTlsPaths(dataDir).caKey);
    expect(() => issueLocalCertificates(dataDir, certificateHosts([]))).toThrow(/ca\.crt is there without .*ca\.key: restore it, or remove/);
  });
});
