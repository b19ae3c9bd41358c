import type { Store } from '../store/store.ts';
import type { SessionRecord, UserRecord } from '../store/accounts.ts';
import { hashToken, newSecretToken } from './tokens.ts';

export const SESSION_COOKIE = 'outpost_session';
/** Technicians are offline for days: a session lives 30 days past its last use. */
export const SESSION_LIFETIME_MS = 30 * 24 * 60 * 60 * 1000;
/** However often it is used, a session ends this long after sign-in (ASVS 7.3.2): sign in again. */
export const SESSION_ABSOLUTE_LIFETIME_MS = 90 * 24 * 60 * 60 * 1000;
/** Sliding writes at most hourly, not on every request. */
const SLIDE_INTERVAL_MS = 60 * 60 * 1000;

export interface ResolvedSession {
  user: UserRecord;
  session: SessionRecord;
  /** The expiry moved forward: the cookie should be sent again. */
  isRenewed: boolean;
}

/** Idle too long, or signed in too long ago (checked on its own: older rows slid without a cap). */
const hasEnded = (session: SessionRecord, now: number): boolean =>
  session.expiresAt <= now || now - session.createdAt >= SESSION_ABSOLUTE_LIFETIME_MS;

/** Slides forward from the last use, never past the absolute end. */
const slidExpiry = (session: SessionRecord, now: number): number =>
  Math.min(now + SESSION_LIFETIME_MS, session.createdAt + SESSION_ABSOLUTE_LIFETIME_MS);

type RevocationListener = (event: { userId: string; tokenHash?: string }) => void;

export class Sessions {
  readonly #listeners = new Set<RevocationListener>();

  constructor(
    private readonly store: Store,
    private readonly now: () => number = Date.now,
  ) {}

  /** A new token on every sign-in (ASVS 7.2.4); only its hash is stored. */
  async start(userId: string, client: { address?: string | undefined; userAgent?: string | undefined }): Promise<string> {
    const token = newSecretToken();
    const now = this.now();
    await this.store.sessions.create({
      tokenHash: hashToken(token),
      userId,
      createdAt: now,
      lastSeenAt: now,
      expiresAt: now + SESSION_LIFETIME_MS,
      clientAddress: client.address?.slice(0, 100),
      userAgent: client.userAgent?.slice(0, 300),
    });
    return token;
  }

  async resolve(token: string): Promise<ResolvedSession | undefined> {
    if (token.length === 0 || token.length > 100) return undefined;
    const tokenHash = hashToken(token);
    const session = await this.store.sessions.find(tokenHash);
    const now = this.now();
    if (!session) return undefined;
    if (hasEnded(session, now)) {
      await this.store.sessions.delete(tokenHash);
      return undefined;
    }
    const user = await this.store.users.get(session.userId);
    if (!user || user.isDisabled) return undefined;
    if (now - session.lastSeenAt < SLIDE_INTERVAL_MS) return { user, session, isRenewed: false };
    const renewed = { ...session, lastSeenAt: now, expiresAt: slidExpiry(session, now) };
    await this.store.sessions.touch(tokenHash, renewed.lastSeenAt, renewed.expiresAt);
    return { user, session: renewed, isRenewed: true };
  }

  async end(tokenHash: string, userId: string): Promise<void> {
    await this.store.sessions.delete(tokenHash);
    this.#emit({ userId, tokenHash });
  }

  /** Ends every session of a user: password change, disabling, admin revocation. */
  async endAllOf(userId: string): Promise<number> {
    const count = await this.store.sessions.deleteAllOf(userId);
    this.#emit({ userId });
    return count;
  }

  /** Live streams listen, so a revoked session stops receiving data at once. */
  onRevoked(listener: RevocationListener): () => void {
    this.#listeners.add(listener);
    return () => this.#listeners.delete(listener);
  }

  /** Whether a session still stands (streams re-check on every heartbeat). */
  async isActive(tokenHash: string): Promise<boolean> {
    const session = await this.store.sessions.find(tokenHash);
    if (!session || hasEnded(session, this.now())) return false;
    const user = await this.store.users.get(session.userId);
    return !!user && !user.isDisabled;
  }

  #emit(event: { userId: string; tokenHash?: string }): void {
    for (const listener of this.#listeners) listener(event);
  }
}
