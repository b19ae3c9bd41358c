import type { AuditEntry, AuditRecord, EnrollmentTokenRecord, KnownDeviceRecord, SessionRecord, ThrottleState } from './accounts.ts';
import type { AgentDeviceRecord } from './agents.ts';
import type { WriteProvenance } from './store.ts';
import type { Principal } from '../auth/principal.ts';

/**
 * Table rows as both engines return them (same column names and types; PostgreSQL bigints are
 * parsed as numbers), and their mapping to records: one copy for SQLite and PostgreSQL.
 */

/** Emails compare case-insensitively: one person, one account. */
export const normalizeEmail = (email: string) => email.trim().toLowerCase();

export interface SessionRow {
  token_hash: string;
  user_id: string;
  created_at: number;
  last_seen_at: number;
  expires_at: number;
  client_address: string | null;
  user_agent: string | null;
}

export const sessionFromRow = (row: SessionRow): SessionRecord => ({
  tokenHash: row.token_hash,
  userId: row.user_id,
  createdAt: row.created_at,
  lastSeenAt: row.last_seen_at,
  expiresAt: row.expires_at,
  clientAddress: row.client_address ?? undefined,
  userAgent: row.user_agent ?? undefined,
});

export interface ThrottleRow {
  key: string;
  failures: number;
  locked_until: number;
  last_failure: number;
  window_started_at: number;
}

export const throttleFromRow = (row: ThrottleRow): ThrottleState => ({
  failures: row.failures,
  lockedUntil: row.locked_until,
  lastFailureAt: row.last_failure,
  windowStartedAt: row.window_started_at,
});

export interface KnownDeviceRow {
  token_hash: string;
  user_id: string;
  created_at: number;
  expires_at: number;
}

export const knownDeviceFromRow = (row: KnownDeviceRow): KnownDeviceRecord => ({
  tokenHash: row.token_hash,
  userId: row.user_id,
  createdAt: row.created_at,
  expiresAt: row.expires_at,
});

export interface EnrollmentTokenRow {
  id: string;
  token_hash: string;
  org_id: string;
  site_id: string;
  created_by: string;
  created_at: number;
  expires_at: number;
  revoked_at: number | null;
  uses: number;
  max_uses: number | null;
}

export const enrollmentTokenFromRow = (row: EnrollmentTokenRow): EnrollmentTokenRecord => ({
  id: row.id,
  tokenHash: row.token_hash,
  orgId: row.org_id,
  siteId: row.site_id,
  createdBy: row.created_by,
  createdAt: row.created_at,
  expiresAt: row.expires_at,
  revokedAt: row.revoked_at ?? undefined,
  uses: row.uses,
  maxUses: row.max_uses ?? undefined,
});

export interface AuditRow {
  id: number;
  at: number;
  actor_kind: AuditEntry['actorKind'];
  actor_id: string;
  action: string;
  org_id: string | null;
  collection: string | null;
  document_id: string | null;
  client_address: string | null;
  detail: string | null;
}

export const auditFromRow = (row: AuditRow): AuditRecord => ({
  id: row.id,
  at: row.at,
  actorKind: row.actor_kind,
  actorId: row.actor_id,
  action: row.action,
  orgId: row.org_id ?? undefined,
  collection: row.collection ?? undefined,
  documentId: row.document_id ?? undefined,
  clientAddress: row.client_address ?? undefined,
  detail: row.detail === null ? undefined : (JSON.parse(row.detail) as Record<string, unknown>),
});

export interface AgentRow {
  device_id: string;
  org_id: string;
  site_id: string;
  secret_hash: string;
  enrollment_token_id: string | null;
  enrolled_at: number;
  revoked_at: number | null;
  last_seen_at: number | null;
  telemetry_state: string;
  state_stamp: string;
}

export const agentFromRow = (row: AgentRow): AgentDeviceRecord => ({
  deviceId: row.device_id,
  orgId: row.org_id,
  siteId: row.site_id,
  secretHash: row.secret_hash,
  enrollmentTokenId: row.enrollment_token_id ?? undefined,
  enrolledAt: row.enrolled_at,
  revokedAt: row.revoked_at ?? undefined,
  lastSeenAt: row.last_seen_at ?? undefined,
  telemetryState: JSON.parse(row.telemetry_state) as unknown,
  stateStamp: row.state_stamp,
});

/** The provenance columns of a documents row (written_by_*: NULL for rows written before version 6). */
export interface ProvenanceColumns {
  written_at: number;
  written_by_kind: string | null;
  written_by_id: string | null;
}

const WRITER_KINDS: ReadonlySet<string> = new Set<Principal['kind']>(['user', 'agent', 'system']);

export const provenanceFromRow = (id: string, row: ProvenanceColumns): WriteProvenance => ({
  id,
  writtenAt: row.written_at,
  ...(row.written_by_kind !== null && row.written_by_id !== null && WRITER_KINDS.has(row.written_by_kind)
    ? { writtenBy: { kind: row.written_by_kind as Principal['kind'], id: row.written_by_id } }
    : {}),
});
