import type { Replica } from './replica.ts';
import { wipeReplica } from './replica.ts';
import { endSession } from './session.ts';

const DEFERRED_KEY = 'outpost.signOutPending';

/**
 * Shared-device sign-out: the replica, caches and service worker go, then the session ends on
 * the server. Offline, the server call waits for the next start online (the wipe does not).
 */
export async function signOut(replica: Replica): Promise<void> {
  const userId = replica.user.id;
  await replica.close();
  await wipeReplica(userId);
  if (!(await endSession())) localStorage.setItem(DEFERRED_KEY, '1');
}

/** Ends on the server a session that was signed out here while offline. */
export async function flushDeferredSignOut(): Promise<void> {
  if (!localStorage.getItem(DEFERRED_KEY)) return;
  try {
    await fetch('/api/auth/logout', { method: 'POST', credentials: 'same-origin' });
    localStorage.removeItem(DEFERRED_KEY);
  } catch {
    // Still offline: try again on the next 'online' event.
  }
}
