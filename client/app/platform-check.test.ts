import { describe, expect, it } from 'vitest';
import { platformProblem, type PlatformFacts } from './platform-check.ts';

const capable: PlatformFacts = { isSecureContext: true, hasIndexedDb: true, hasServiceWorker: true, hasWebLocks: true, hasSubtleCrypto: true };

describe('platform check', () => {
  it('lets a secure context with storage, workers, locks and crypto run the app', () => {
    expect(platformProblem(capable)).toBeUndefined();
  });

  it('names the insecure connection first: it is what removes the rest', () => {
    expect(platformProblem({ ...capable, isSecureContext: false, hasServiceWorker: false, hasSubtleCrypto: false })).toBe('insecure-connection');
  });

  it('names missing storage in a secure context (private window, old browser)', () => {
    for (const missing of ['hasIndexedDb', 'hasServiceWorker', 'hasWebLocks', 'hasSubtleCrypto'] as const) {
      expect(platformProblem({ ...capable, [missing]: false })).toBe('no-storage');
    }
  });
});
