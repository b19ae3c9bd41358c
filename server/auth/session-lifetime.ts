import type { Sessions } from './sessions.ts';

/** The session a long-lived response was opened under. */
export interface StreamSession {
  userId: string;
  tokenHash: string;
}

/**
 * Calls `onEnded` (once) when the session behind a long-lived response ends, and returns the
 * stop. Sign-out, revocation, a password change and disabling through this instance end it at
 * once (Sessions announces them); the same done through another instance, an account disabled
 * in the database, and expiry are noticed by re-checking the session every `recheckEveryMs`.
 *
 * Every stream a user holds open must go through this: a stream outliving its session keeps
 * handing data to someone who was signed out.
 */
export function untilSessionEnds(sessions: Sessions, session: StreamSession, onEnded: () => void, recheckEveryMs: number): () => void {
  let isEnded = false;
  const end = () => {
    if (isEnded) return;
    isEnded = true;
    stop();
    onEnded();
  };
  const stopListening = sessions.onRevoked((event) => {
    if (event.userId === session.userId && (event.tokenHash === undefined || event.tokenHash === session.tokenHash)) end();
  });
  const recheck = setInterval(() => {
    sessions.isActive(session.tokenHash).then(
      (isActive) => isActive || end(),
      // A store that cannot answer right now is not a sign-out: the next re-check decides.
      () => undefined,
    );
  }, recheckEveryMs);
  recheck.unref();
  function stop(): void {
    clearInterval(recheck);
    stopListening();
  }
  return () => {
    isEnded = true;
    stop();
  };
}
