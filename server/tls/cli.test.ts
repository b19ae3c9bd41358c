import { execFile } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { spkiSha256 } from './local-ca.ts';
import { localTlsPaths } from './tls-files.ts';

const root = join(import.meta.dirname, '../..');

/** `npm run tls -- …` as a person runs it, with the data directory pointed at `dataDir`. */
function runTls(args: readonly string[], dataDir: string): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    execFile(
      process.execPath,
      ['--import', 'tsx', 'server/tls/cli.ts', ...args],
      { cwd: root, env: { ...process.env, PORT: '8787', OUTPOST_DATA_DIR: dataDir, OUTPOST_TLS_CERT: '', OUTPOST_TLS_KEY: '' } },
      (error, stdout, stderr) => resolve({ code: error ? Number(error.code ?? 1) : 0, stdout, stderr }),
    );
  });
}

describe('npm run tls', () => {
  let dir: string;
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'outpost-tls-cli-'));
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  it('refuses a host that is neither a DNS name nor an IP address, and writes nothing', async () => {
    const dataDir = join(dir, 'data');
    const result = await runTls(['--host', 'outpost.local', '--host', 'bad_host'], dataDir);
    expect(result.code).toBe(1);
    expect(result.stderr).toContain('"bad_host" is neither a DNS name (e.g. outpost.local) nor an IP address (e.g. 10.20.0.5)');
    expect(existsSync(dataDir)).toBe(false);
  });

  it('writes the CA and server certificate into the data directory and prints the SPKI hash and the next step', async () => {
    const result = await runTls(['--host', 'outpost.local', '--host', '10.20.0.5'], dir);
    expect(result.stderr).toBe('');
    expect(result.code).toBe(0);
    const paths = localTlsPaths(dir);
    for (const file of [paths.caCert, paths.caKey, paths.server.certFile, paths.server.keyFile]) expect(existsSync(file)).toBe(true);
    expect(result.stdout).toContain('Created the local certificate authority "Outpost local CA (');
    expect(result.stdout).toContain('Issued a server certificate for outpost.local, 10.20.0.5, localhost, 127.0.0.1');
    expect(result.stdout).toContain(`SPKI SHA-256 ${spkiSha256(readFileSync(paths.server.keyFile, 'utf8'))}`);
    expect(result.stdout).toContain('https://outpost.local:8787/setup');
  });
});
