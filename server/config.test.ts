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
      riskAcceptanceMaxDays: 365,
      staticDir: resolve('./dist'),
      agentOfflineAfterSeconds: 300,
      agentStaleAfterSeconds: 86_400,
      agentFlushSeconds: 1,
      shutdownDelaySeconds: 0,
      shutdownGraceSeconds: 10,
      bootstrapAdmin: undefined,
      publicUrl: undefined,
      trustedProxies: [],
      allowedHosts: [],
      logLevel: 'info',
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
        OUTPOST_RISK_ACCEPTANCE_MAX_DAYS: '180',
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
      riskAcceptanceMaxDays: 180,
      staticDir: resolve('public'),
      agentOfflineAfterSeconds: 300,
      agentStaleAfterSeconds: 86_400,
      agentFlushSeconds: 1,
      shutdownDelaySeconds: 0,
      shutdownGraceSeconds: 10,
      bootstrapAdmin: undefined,
      publicUrl: undefined,
      trustedProxies: [],
      allowedHosts: [],
      logLevel: 'info',
    });
    expect(loadConfig({ DATABASE_URL: 'postgresql://db/outpost' }).databaseUrl).toBe('postgresql://db/outpost');
  });

  it('bounds how far ahead a risk acceptance may run, a year unless set, never unbounded', () => {
    expect(loadConfig({ OUTPOST_RISK_ACCEPTANCE_MAX_DAYS: '90' }).riskAcceptanceMaxDays).toBe(90);
    expect(() => loadConfig({ OUTPOST_RISK_ACCEPTANCE_MAX_DAYS: '0' })).toThrow(/OUTPOST_RISK_ACCEPTANCE_MAX_DAYS/);
    expect(() => loadConfig({ OUTPOST_RISK_ACCEPTANCE_MAX_DAYS: '36500' })).toThrow(/OUTPOST_RISK_ACCEPTANCE_MAX_DAYS/);
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

  it('takes a public URL as its origin, and an empty one as none', () => {
    expect(loadConfig({ OUTPOST_PUBLIC_URL: 'https://Ops.Example.com/' }).publicUrl).toBe('https://ops.example.com');
    expect(loadConfig({ OUTPOST_PUBLIC_URL: 'https://ops.example.com:443' }).publicUrl).toBe('https://ops.example.com');
    expect(loadConfig({ OUTPOST_PUBLIC_URL: 'http://outpost.lan:8787' }).publicUrl).toBe('http://outpost.lan:8787');
    expect(loadConfig({ OUTPOST_PUBLIC_URL: '' }).publicUrl).toBeUndefined();
  });

  it('takes trusted proxies as addresses, CIDRs and proxy-addr range names', () => {
    expect(loadConfig({ OUTPOST_TRUSTED_PROXIES: ' 10.0.0.2, 192.168.0.0/16,::1 , loopback,fd00::/8,uniquelocal,linklocal' }).trustedProxies).toEqual([
      '10.0.0.2', '192.168.0.0/16', '::1', 'loopback', 'fd00::/8', 'uniquelocal', 'linklocal',
    ]);
    expect(loadConfig({ OUTPOST_TRUSTED_PROXIES: '' }).trustedProxies).toEqual([]);
  });

  it('takes allowed hosts as names and addresses in one spelling', () => {
    expect(loadConfig({ OUTPOST_ALLOWED_HOSTS: 'Outpost.LAN, 10.0.0.5,[fd00::5],fd00::6, ops.example.com.' }).allowedHosts).toEqual([
      'outpost.lan', '10.0.0.5', 'fd00::5', 'fd00::6', 'ops.example.com',
    ]);
  });

  it.each([
    ['OUTPOST_PUBLIC_URL', 'ops.example.com', /http\(s\) origin such as https:\/\/ops\.example\.com/],
    ['OUTPOST_PUBLIC_URL', 'ftp://ops.example.com', /must start with https:\/\//],
    ['OUTPOST_PUBLIC_URL', 'https://ops.example.com/outpost', /without a path, query or fragment, e\.g\. https:\/\/ops\.example\.com$/m],
    ['OUTPOST_PUBLIC_URL', 'https://ops.example.com/?a=1', /without a path, query or fragment/],
    ['OUTPOST_PUBLIC_URL', 'https://admin:secret@ops.example.com', /user name or password/],
    ['OUTPOST_TRUSTED_PROXIES', '10.0.0.1,proxy.lan', /"proxy\.lan" is not an IP address, a CIDR range \(10\.0\.0\.0\/8\) or one of loopback, linklocal, uniquelocal/],
    ['OUTPOST_TRUSTED_PROXIES', '10.0.0.0/33', /"10\.0\.0\.0\/33" is not an IP address/],
    ['OUTPOST_TRUSTED_PROXIES', '*', /"\*" is not an IP address/],
    ['OUTPOST_ALLOWED_HOSTS', 'https://outpost.lan', /"https:\/\/outpost\.lan" is not a host name or an IP address \(no scheme, port or path\)/],
    ['OUTPOST_ALLOWED_HOSTS', 'outpost.lan:8787', /"outpost\.lan:8787" is not a host name/],
    ['OUTPOST_ALLOWED_HOSTS', 'outpost.lan/app', /"outpost\.lan\/app" is not a host name/],
    ['OUTPOST_ALLOWED_HOSTS', '*.example.com', /"\*\.example\.com" is not a host name/],
  ])('refuses %s=%s with a message saying what is wrong', (name, value, explanation) => {
    const load = () => loadConfig({ [name]: value });
    expect(load).toThrow(new RegExp(`^Invalid configuration:\\n\\s+${name}: `));
    expect(load).toThrow(explanation);
  });

  it('takes a metrics token, a metrics listener address and a log level', () => {
    const config = loadConfig({ OUTPOST_METRICS_TOKEN: 'scrape-me-0123456789', OUTPOST_METRICS_ADDRESS: '0.0.0.0:9464', OUTPOST_LOG_LEVEL: 'warn' });
    expect(config).toMatchObject({ metricsToken: 'scrape-me-0123456789', metricsAddress: { host: '0.0.0.0', port: 9464 }, logLevel: 'warn' });
    expect(loadConfig({ OUTPOST_METRICS_ADDRESS: '[::1]:0' }).metricsAddress).toEqual({ host: '::1', port: 0 });
    expect(loadConfig({ OUTPOST_METRICS_ADDRESS: 'metrics.internal:9464' }).metricsAddress).toEqual({ host: 'metrics.internal', port: 9464 });
    expect(loadConfig({ OUTPOST_METRICS_TOKEN: '', OUTPOST_METRICS_ADDRESS: '' })).toMatchObject({ metricsToken: undefined, metricsAddress: undefined });
  });

  it.each([
    ['OUTPOST_METRICS_TOKEN', 'short', /at least 16 characters/],
    ['OUTPOST_METRICS_TOKEN', 'a token with spaces in it', /printable ASCII without spaces/],
    ['OUTPOST_METRICS_ADDRESS', '9464', /must be host:port, e\.g\. 127\.0\.0\.1:9464/],
    ['OUTPOST_METRICS_ADDRESS', 'localhost:99999', /must be host:port/],
    ['OUTPOST_METRICS_ADDRESS', '::1:9464', /must be host:port/],
    ['OUTPOST_METRICS_ADDRESS', 'http://localhost:9464', /must be host:port/],
    ['OUTPOST_LOG_LEVEL', 'verbose', /must be one of fatal, error, warn, info, debug, trace, silent/],
  ])('refuses %s=%s with a message saying what is wrong', (name, value, explanation) => {
    const load = () => loadConfig({ [name]: value });
    expect(load).toThrow(new RegExp(`^Invalid configuration:\\n\\s+${name}: `));
    expect(load).toThrow(explanation);
  });

  it('names every bad variable at once', () => {
    expect(() => loadConfig({ PORT: 'abc', OUTPOST_DEMO: 'maybe' })).toThrow(/PORT: [\s\S]*OUTPOST_DEMO: /);
  });

  it('takes a TLS certificate and key as paths, set together', () => {
    expect(loadConfig({ OUTPOST_TLS_CERT: 'certs/fullchain.pem', OUTPOST_TLS_KEY: '/etc/outpost/privkey.pem' }).tls).toEqual({
      certFile: resolve('certs/fullchain.pem'),
      keyFile: '/etc/outpost/privkey.pem',
    });
    expect(loadConfig({ OUTPOST_TLS_CERT: '', OUTPOST_TLS_KEY: '' }).tls).toBeUndefined();
    expect(() => loadConfig({ OUTPOST_TLS_CERT: 'fullchain.pem' })).toThrow('OUTPOST_TLS_CERT and OUTPOST_TLS_KEY must be set together (only OUTPOST_TLS_CERT is set)');
    expect(() => loadConfig({ OUTPOST_TLS_KEY: 'privkey.pem' })).toThrow('OUTPOST_TLS_CERT and OUTPOST_TLS_KEY must be set together (only OUTPOST_TLS_KEY is set)');
  });
});
