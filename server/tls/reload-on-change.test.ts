import { X509Certificate } from 'node:crypto';
import { mkdirSync, mkdtempSync, renameSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { SecureContextOptions } from 'node:tls';
import { afterEach, beforeAll, beforeEach, describe, expect, it, vi } from 'vitest';
import { createLogger } from '../observability/logger.ts';
import { certificateHosts } from './hosts.ts';
import { createLocalCa, issueServerCertificate, type PemPair } from './local-ca.ts';
import { reloadOnChange } from './reload-on-change.ts';

/** A server stand-in that records the contexts it is given. */
function fakeServer() {
  const contexts: SecureContextOptions[] = [];
  return { contexts, setSecureContext: (options: SecureContextOptions) => void contexts.push(options) };
}

const serial = (options: SecureContextOptions | undefined) => (options ? new X509Certificate(String(options.cert)).serialNumber : undefined);

describe('reloadOnChange', () => {
  let ca: PemPair;
  let dir: string;
  let stop: (() => void) | undefined;
  const logs: string[] = [];
  const logger = createLogger({ level: 'info', destination: { write: (line: string) => void logs.push(line) } });
  beforeAll(() => {
    ca = createLocalCa({ machineName: 'test' });
  });
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'outpost-reload-'));
    logs.length = 0;
  });
  afterEach(() => {
    stop?.();
    rmSync(dir, { recursive: true, force: true });
  });

  it('follows a swapped directory link, as certbot and Kubernetes secrets renew', async () => {
    // live/server.crt -> ..data/server.crt, with ..data a link swapped by rename to a new directory.
    const write = (name: string, pair: PemPair) => {
      mkdirSync(join(dir, name));
      writeFileSync(join(dir, name, 'server.crt'), pair.cert);
      writeFileSync(join(dir, name, 'server.key'), pair.key);
    };
    const first = issueServerCertificate(ca, certificateHosts([]));
    write('v1', first);
    symlinkSync('v1', join(dir, '..data'));
    for (const file of ['server.crt', 'server.key']) symlinkSync(join('..data', file), join(dir, file));
    const server = fakeServer();
    stop = reloadOnChange(server, { certFile: join(dir, 'server.crt'), keyFile: join(dir, 'server.key') }, first, { logger, debounceMs: 50 });

    const second = issueServerCertificate(ca, certificateHosts([]));
    write('v2', second);
    symlinkSync('v2', join(dir, '..data_tmp'));
    renameSync(join(dir, '..data_tmp'), join(dir, '..data'));

    await vi.waitFor(() => expect(serial(server.contexts.at(-1))).toBe(new X509Certificate(second.cert).serialNumber), { timeout: 5_000 });
    expect(server.contexts).toHaveLength(1);
    expect(logs.join('')).toContain('TLS: serving the new certificate');
  });

  it('keeps the current pair, and says why, when the new key does not fit the certificate', async () => {
    const first = issueServerCertificate(ca, certificateHosts([]));
    const files = { certFile: join(dir, 'server.crt'), keyFile: join(dir, 'server.key') };
    writeFileSync(files.certFile, first.cert);
    writeFileSync(files.keyFile, first.key);
    const server = fakeServer();
    stop = reloadOnChange(server, files, first, { logger, debounceMs: 50 });

    writeFileSync(files.keyFile, issueServerCertificate(ca, certificateHosts([])).key);

    await vi.waitFor(() => expect(logs.join('')).toContain('is not the key of the certificate'), { timeout: 5_000 });
    expect(server.contexts).toEqual([]);
  });
});
