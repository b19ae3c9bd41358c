/**
 * What this browser lacks for Outpost to keep its data on the device. Service workers, Web
 * Locks and `crypto.subtle` exist only in secure contexts (https, or localhost): opened over
 * plain http from a phone, the replica cannot open and a library's error code is all a person
 * would see. Private windows and old browsers may lack storage itself.
 */
export type PlatformProblem = 'insecure-connection' | 'no-storage';

export interface PlatformFacts {
  isSecureContext: boolean;
  hasIndexedDb: boolean;
  hasServiceWorker: boolean;
  hasWebLocks: boolean;
  hasSubtleCrypto: boolean;
}

export function platformFacts(): PlatformFacts {
  return {
    isSecureContext: globalThis.isSecureContext === true,
    hasIndexedDb: typeof indexedDB !== 'undefined',
    hasServiceWorker: typeof navigator !== 'undefined' && 'serviceWorker' in navigator,
    hasWebLocks: typeof navigator !== 'undefined' && 'locks' in navigator,
    hasSubtleCrypto: globalThis.crypto?.subtle !== undefined,
  };
}

/** The first problem a person must fix, or undefined when the app can run. */
export function platformProblem(facts: PlatformFacts): PlatformProblem | undefined {
  if (!facts.isSecureContext) return 'insecure-connection';
  if (!facts.hasIndexedDb || !facts.hasServiceWorker || !facts.hasWebLocks || !facts.hasSubtleCrypto) return 'no-storage';
  return undefined;
}
