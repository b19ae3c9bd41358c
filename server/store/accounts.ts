import type { Membership } from '../../shared/auth/permissions.ts';

/** A sign-in account. Only the server ever holds `passwordHash`. */
export interface UserRecord {
  id: string;
  email: string;
  name: string;
  passwordHash: string;
  isDisabled: boolean;
  memberships: Membership[];
  createdAt: number;
  updatedAt: number;
}

export interface UserPatch {
  email?: string;
  name?: string;
  passwordHash?: string;
  isDisabled?: boolean;
  memberships?: Membership[];
}

export class DuplicateEmailError extends Error {
  constructor() {
    super('an account with this email already exists');
  }
}

export interface UserStore {
  create(user: UserRecord): Promise<void>;
  get(id: string): Promise<UserRecord | undefined>;
  findByEmail(email: string): Promise<UserRecord | undefined>;
  update(id: string, patch: UserPatch, now: number): Promise<UserRecord | undefined>;
  delete(id: string): Promise<boolean>;
  /** Accounts with a membership in any of these organizations. */
  listInOrgs(orgIds: readonly string[]): Promise<UserRecord[]>;
  countAdmins(): Promise<number>;
}

export interface SessionRecord {
  tokenHash: string;
  userId: string;
  createdAt: number;
  lastSeenAt: number;
  expiresAt: number;
  clientAddress: string | undefined;
  userAgent: string | undefined;
}

export interface SessionStore {
  create(session: SessionRecord): Promise<void>;
  find(tokenHash: string): Promise<SessionRecord | undefined>;
  touch(tokenHash: string, lastSeenAt: number, expiresAt: number): Promise<void>;
  delete(tokenHash: string): Promise<void>;
  deleteAllOf(userId: string): Promise<number>;
}

/** One throttle key's counters; server/auth/throttle-policy.ts gives them their meaning. */
export interface ThrottleState {
  /** Attempts counted: failed ones, and admitted ones not yet known to have succeeded. */
  failures: number;
  /** No attempt is admitted before this time (ms since the epoch). */
  lockedUntil: number;
  /** The latest counted attempt: old counts are forgotten some time after it. */
  lastFailureAt: number;
  /** When the current window began, for a cap on attempts per window. */
  windowStartedAt: number;
}

export interface ThrottleStep<T> {
  /** The keys' new states; undefined forgets a key. Keys not named keep their state. */
  writes: ReadonlyMap<string, ThrottleState | undefined>;
  result: T;
}

/**
 * Throttle counters, in the database so they hold across server instances. `update` is the
 * only way to change them: it reads the keys' states, hands them to `step` and writes what it
 * returns, in one transaction with the keys locked. Parallel attempts are decided one after
 * another on the counts of the ones before, never all checked first and counted afterwards.
 */
export interface ThrottleStore {
  get(key: string): Promise<ThrottleState | undefined>;
  /** `step` is pure and synchronous; absent keys are absent from its map. */
  update<T>(keys: readonly string[], step: (states: ReadonlyMap<string, ThrottleState>) => ThrottleStep<T>): Promise<T>;
}

/** A browser someone signed in from successfully; the cookie holds the token, the store its hash. */
export interface KnownDeviceRecord {
  tokenHash: string;
  userId: string;
  createdAt: number;
  expiresAt: number;
}

export interface KnownDeviceStore {
  /** Keeps a new known device, and forgets the user's expired ones. */
  create(device: KnownDeviceRecord): Promise<void>;
  find(tokenHash: string): Promise<KnownDeviceRecord | undefined>;
  deleteAllOf(userId: string): Promise<number>;
}

export interface EnrollmentTokenRecord {
  id: string;
  tokenHash: string;
  orgId: string;
  siteId: string;
  createdBy: string;
  createdAt: number;
  expiresAt: number;
  revokedAt: number | undefined;
  /** Successful enrollments so far. */
  uses: number;
  /** At most this many enrollments; undefined: no limit but the expiry. */
  maxUses: number | undefined;
}

export interface EnrollmentTokenStore {
  create(token: EnrollmentTokenRecord): Promise<void>;
  get(id: string): Promise<EnrollmentTokenRecord | undefined>;
  findByHash(tokenHash: string): Promise<EnrollmentTokenRecord | undefined>;
  /** The organizations' tokens, newest first, at most `limit`. */
  listInOrgs(orgIds: readonly string[], limit: number): Promise<EnrollmentTokenRecord[]>;
  revoke(id: string, now: number): Promise<boolean>;
  /**
   * Counts one use if the token is still usable at `now` (not revoked, not expired, uses left),
   * in one statement so parallel enrollments never exceed the limit. False: nothing counted.
   */
  claimUse(id: string, now: number): Promise<boolean>;
}

export interface AuditEntry {
  at: number;
  actorKind: 'user' | 'agent' | 'system' | 'anonymous';
  actorId: string;
  action: string;
  orgId?: string | undefined;
  collection?: string | undefined;
  documentId?: string | undefined;
  clientAddress?: string | undefined;
  detail?: Record<string, unknown> | undefined;
}

export interface AuditRecord extends AuditEntry {
  id: number;
}

export interface AuditLog {
  append(entries: readonly AuditEntry[]): Promise<void>;
  /** Entries of these organizations after `cursor` (an id), oldest first. */
  list(orgIds: readonly string[], cursor: number, limit: number): Promise<AuditRecord[]>;
}
