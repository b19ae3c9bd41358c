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

export interface ThrottleState {
  failures: number;
  lockedUntil: number;
}

/** Failed-login counters; in the database so they hold across server instances. */
export interface ThrottleStore {
  get(key: string): Promise<ThrottleState | undefined>;
  /**
   * Records a failure and returns the new state; `lockFor` maps the failure count to a lock
   * duration. Failures older than `forgetAfterMs` no longer count.
   */
  recordFailure(key: string, now: number, lockFor: (failures: number) => number, forgetAfterMs: number): Promise<ThrottleState>;
  clear(key: string): Promise<void>;
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
  uses: number;
}

export interface EnrollmentTokenStore {
  create(token: EnrollmentTokenRecord): Promise<void>;
  get(id: string): Promise<EnrollmentTokenRecord | undefined>;
  findByHash(tokenHash: string): Promise<EnrollmentTokenRecord | undefined>;
  /** The organizations' tokens, newest first, at most `limit`. */
  listInOrgs(orgIds: readonly string[], limit: number): Promise<EnrollmentTokenRecord[]>;
  revoke(id: string, now: number): Promise<boolean>;
  recordUse(id: string): Promise<void>;
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
