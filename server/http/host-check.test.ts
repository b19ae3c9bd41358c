import { describe, expect, it } from 'vitest';
import { HostPolicy } from './host-check.ts';

const interfaces = () => ['127.0.0.1', '::1', '192.168.1.20', 'fe80::1'];

describe('HostPolicy', () => {
  it('without a public URL, answers to localhost, loopback and the machine’s own addresses only', () => {
    const policy = new HostPolicy({ interfaceAddresses: interfaces });
    for (const name of ['localhost', '127.0.0.1', '::1', '192.168.1.20', 'fe80::1']) expect(policy.accepts(name), name).toBe(true);
    for (const name of ['evil.test', 'localhost.evil.test', '192.168.1.21', 'ops.example.com']) expect(policy.accepts(name), name).toBe(false);
  });

  it('answers to the listen address when it is a specific one, not to a wildcard', () => {
    expect(new HostPolicy({ listenHost: 'outpost.lan', interfaceAddresses: () => [] }).accepts('outpost.lan')).toBe(true);
    expect(new HostPolicy({ listenHost: '[fd00::5]', interfaceAddresses: () => [] }).accepts('fd00::5')).toBe(true);
    expect(new HostPolicy({ listenHost: '0.0.0.0', interfaceAddresses: () => [] }).accepts('0.0.0.0')).toBe(false);
  });

  it('answers to the allowed hosts, in either mode', () => {
    expect(new HostPolicy({ allowedHosts: ['outpost.lan'], interfaceAddresses: () => [] }).accepts('outpost.lan')).toBe(true);
    expect(new HostPolicy({ publicOrigin: 'https://ops.example.com', allowedHosts: ['outpost.lan'] }).accepts('outpost.lan')).toBe(true);
  });

  it('with a public URL, answers to its host only: not localhost, not the machine’s addresses', () => {
    const policy = new HostPolicy({ publicOrigin: 'https://ops.example.com:8443', interfaceAddresses: interfaces });
    expect(policy.accepts('ops.example.com')).toBe(true);
    for (const name of ['localhost', '127.0.0.1', '192.168.1.20', 'evil.test']) expect(policy.accepts(name), name).toBe(false);
  });

  it('re-reads the interfaces when a name misses, at most every 5 s', () => {
    let addresses = ['192.168.1.20'];
    let reads = 0;
    const policy = new HostPolicy({ interfaceAddresses: () => (reads++, addresses) });
    expect(policy.accepts('192.168.1.20', 0)).toBe(true);
    addresses = ['10.8.0.2'];
    expect(policy.accepts('10.8.0.2', 1_000)).toBe(false);
    expect(policy.accepts('evil.test', 2_000)).toBe(false);
    expect(reads).toBe(1);
    expect(policy.accepts('10.8.0.2', 5_000)).toBe(true);
    expect(reads).toBe(2);
  });

  it('says which variable to set', () => {
    expect(new HostPolicy().refusal('evil.test')).toMatch(/"evil\.test".*OUTPOST_ALLOWED_HOSTS/);
    expect(new HostPolicy({ publicOrigin: 'https://ops.example.com' }).refusal('evil.test')).toMatch(/answers as https:\/\/ops\.example\.com \(OUTPOST_PUBLIC_URL\), not "evil\.test"/);
  });
});
