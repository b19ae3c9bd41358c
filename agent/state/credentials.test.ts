import { mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { credentialsPath, readCredentials, writeCredentials, type Credentials } from './credentials.ts';

const credentials: Credentials = {
  server: 'https://outpost.example.com',
  deviceId: '0190f3a0-0000-7000-8000-000000000001',
  deviceSecret: 'abcdefghijklmnopqrstuvwxyz012345',
  orgId: '0190f3a0-0000-7000-8000-000000000002',
  siteId: '0190f3a0-0000-7000-8000-000000000003',
  enrolledAt: '2026-01-31T08:00:00.000Z',
};

describe('credentials file', () => {
  let root: string;
  beforeEach(() => {
    root = mkdtempSync(join(tmpdir(), 'outpost-agent-credentials-'));
  });
  afterEach(() => rmSync(root, { recursive: true, force: true }));

  it.skipIf(process.platform === 'win32')('is readable by its owner only, in a directory only its owner can enter', () => {
    const stateDir = join(root, 'state');
    writeCredentials(stateDir, credentials);
    expect(statSync(credentialsPath(stateDir)).mode & 0o777).toBe(0o600);
    expect(statSync(stateDir).mode & 0o777).toBe(0o700);
  });

  it.skipIf(process.platform === 'win32')('tightens a state directory that already existed with wider permissions', () => {
    writeCredentials(root, credentials);
    expect(statSync(root).mode & 0o777).toBe(0o700);
  });

  it('reads back what it wrote, and replaces it whole', () => {
    writeCredentials(root, credentials);
    writeCredentials(root, { ...credentials, server: 'https://other.example.com' });
    expect(readCredentials(root)).toEqual({ ...credentials, server: 'https://other.example.com' });
  });

  it('reports a missing file as not enrolled', () => {
    expect(readCredentials(root)).toBeUndefined();
  });

  it('refuses a damaged file with a message that says how to recover', () => {
    writeFileSync(credentialsPath(root), '{"server": "https://x"');
    expect(() => readCredentials(root)).toThrow(/damaged: enroll again with --force/);
    writeFileSync(credentialsPath(root), JSON.stringify({ ...credentials, deviceSecret: 'short' }));
    expect(() => readCredentials(root)).toThrow(/damaged/);
  });

  it('never leaves its temporary file behind', () => {
    writeCredentials(root, credentials);
    expect(readFileSync(credentialsPath(root), 'utf8')).toContain(credentials.deviceId);
    expect(() => statSync(`${credentialsPath(root)}.${process.pid}.tmp`)).toThrow();
  });
});
