import { resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadConfig } from './config.ts';

describe('loadConfig', () => {
  it('starts on 127.0.0.1:8787 with data in ./data, no demo and 30 days of tombstones when nothing is set', () => {
    expect(loadConfig({})).toEqual({
      port: 8787,
      host: '127.0.0.1',
      dataDir: resolve('./data'),
      databaseUrl: undefined,
      seedDemo: false,
      tombstoneRetentionDays: 30,
      textCompactionUpdates: 200,
      streamHeartbeatSeconds: 15,
      staticDir: resolve('./dist'),
      agentOfflineAfterSeconds: 300,
      agentStaleAfterSeconds: 86_400,
      agentFlushSeconds: 1,
      shutdownDelaySeconds: 0,
      shutdownGraceSeconds: 10,
      bootstrapAdmin: undefined,
    });
  });

  it('takes valid values from the environment', () => {
    expect(
      loadConfig({
        PORT: '9000',
        HOST: '0.0.0.0',
        OUTPOST_DATA_DIR: '/var/lib/outpost',
        DATABASE_URL: 'postgres://outpost@db/outpost',
        OUTPOST_DEMO: '1',
        OUTPOST_TOMBSTONE_RETENTION_DAYS: '90',
        OUTPOST_TEXT_COMPACTION_UPDATES: '500',
        OUTPOST_STREAM_HEARTBEAT_SECONDS: '5',
        OUTPOST_STATIC_DIR: 'public',
      }),
    ).toEqual({
      port: 9000,
      host: '0.0.0.0',
      dataDir: '/var/lib/outpost',
      databaseUrl: 'postgres://outpost@db/outpost',
      seedDemo: true,
      tombstoneRetentionDays: 90,
      textCompactionUpdates: 500,
      streamHeartbeatSeconds: 5,
      staticDir: resolve('public'),
      agentOfflineAfterSeconds: 300,
      agentStaleAfterSeconds: 86_400,
      agentFlushSeconds: 1,
      shutdownDelaySeconds: 0,
      shutdownGraceSeconds: 10,
      bootstrapAdmin: undefined,
    });
    expect(loadConfig({ DATABASE_URL: 'postgresql://db/outpost' }).databaseUrl).toBe('postgresql://db/outpost');
  });

  it('takes a bootstrap administrator only with both email and password', () => {
    expect(loadConfig({ OUTPOST_ADMIN_EMAIL: 'it@example.com', OUTPOST_ADMIN_PASSWORD: 'long-passphrase' }).bootstrapAdmin).toEqual({ email: 'it@example.com', password: 'long-passphrase' });
    expect(() => loadConfig({ OUTPOST_ADMIN_EMAIL: 'it@example.com' })).toThrow(/OUTPOST_ADMIN_EMAIL and OUTPOST_ADMIN_PASSWORD/);
    expect(() => loadConfig({ OUTPOST_ADMIN_EMAIL: 'not-an-email', OUTPOST_ADMIN_PASSWORD: 'x' })).toThrow(/OUTPOST_ADMIN_EMAIL/);
  });

  it('resolves a relative data directory against the working directory', () => {
    expect(loadConfig({ OUTPOST_DATA_DIR: 'var/outpost' }).dataDir).toBe(resolve(process.cwd(), 'var/outpost'));
  });

  it('reads the demo flag as a yes/no word', () => {
    for (const on of ['1', 'true', 'yes']) expect(loadConfig({ OUTPOST_DEMO: on }).seedDemo, on).toBe(true);
    for (const off of ['0', 'false', 'no', '']) expect(loadConfig({ OUTPOST_DEMO: off }).seedDemo, off).toBe(false);
  });

  it('ignores variables it does not know', () => {
    expect(loadConfig({ PATH: '/usr/bin', HOME: '/root' }).port).toBe(8787);
  });

  it.each([
    ['PORT', 'abc', /whole number/],
    ['PORT', '70000', /<=65535 but received 70000/],
    ['PORT', '-1', /whole number/],
    ['DATABASE_URL', 'mysql://x', /postgres/],
    ['OUTPOST_DEMO', 'maybe', /"yes"[\s\S]*received "maybe"/],
    ['OUTPOST_TOMBSTONE_RETENTION_DAYS', '0', />=1 but received 0/],
  ])('refuses %s=%s with a message naming the variable', (name, value, explanation) => {
    const load = () => loadConfig({ [name]: value });
    expect(load).toThrow(new RegExp(`^Invalid configuration:\\n\\s+${name}: `));
    expect(load).toThrow(explanation);
  });

  it('names every bad variable at once', () => {
    expect(() => loadConfig({ PORT: 'abc', OUTPOST_DEMO: 'maybe' })).toThrow(/PORT: [\s\S]*OUTPOST_DEMO: /);
  });
});
