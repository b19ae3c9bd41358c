import { describe, expect, it } from 'vitest';
import { httpsAdvice, reachableUrls } from './reachable-addresses.ts';

describe('reachable addresses', () => {
  it('names the listen address when it is a specific one', () => {
    expect(reachableUrls('http://127.0.0.1:8787', '127.0.0.1')).toEqual(['http://127.0.0.1:8787']);
  });

  it('names every interface address, loopback included, when listening on all', () => {
    const urls = reachableUrls('http://0.0.0.0:8787', '0.0.0.0');
    expect(urls).toContain('http://127.0.0.1:8787');
    expect(urls.every((url) => url.endsWith(':8787'))).toBe(true);
  });

  it('advises HTTPS only for plain HTTP on an address other than loopback', () => {
    expect(httpsAdvice(['http://127.0.0.1:8787', 'http://localhost:8787'])).toBeUndefined();
    expect(httpsAdvice(['https://10.20.0.5:8787'])).toBeUndefined();
    expect(httpsAdvice(['http://127.0.0.1:8787', 'http://10.20.0.5:8787'])).toContain('npm run tls');
  });
});
