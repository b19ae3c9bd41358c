import type pg from 'pg';
import type { Membership } from '../../../../shared/auth/permissions.ts';
import type { Role } from '../../../../shared/schema/user.ts';
import { DuplicateEmailError, type UserPatch, type UserRecord, type UserStore } from '../../accounts.ts';
import { inTransaction, isPgError, type Queryable } from '../connection.ts';
import { normalizeEmail } from '../../rows.ts';

interface UserRow {
  id: string;
  email: string;
  name: string;
  password_hash: string;
  is_disabled: boolean;
  created_at: number;
  updated_at: number;
}

interface MembershipRow {
  user_id: string;
  org_id: string;
  role: Role;
  site_ids: string[] | null;
}

const isDuplicateEmail = (error: unknown) => isPgError(error) && error.code === '23505' && error.constraint === 'users_email_key';

export class PostgresUsers implements UserStore {
  constructor(private readonly pool: pg.Pool) {}

  async create(user: UserRecord): Promise<void> {
    try {
      await inTransaction(this.pool, async (db) => {
        await db.query(
          'INSERT INTO users (id, email, name, password_hash, is_disabled, created_at, updated_at) VALUES ($1, $2, $3, $4, $5, $6, $7)',
          [user.id, normalizeEmail(user.email), user.name, user.passwordHash, user.isDisabled, user.createdAt, user.updatedAt],
        );
        await writeMemberships(db, user.id, user.memberships);
      });
    } catch (error) {
      if (isDuplicateEmail(error)) throw new DuplicateEmailError();
      throw error;
    }
  }

  async get(id: string): Promise<UserRecord | undefined> {
    const { rows } = await this.pool.query<UserRow>('SELECT * FROM users WHERE id = $1', [id]);
    return (await withMemberships(this.pool, rows))[0];
  }

  async findByEmail(email: string): Promise<UserRecord | undefined> {
    const { rows } = await this.pool.query<UserRow>('SELECT * FROM users WHERE email = $1', [normalizeEmail(email)]);
    return (await withMemberships(this.pool, rows))[0];
  }

  async update(id: string, patch: UserPatch, now: number): Promise<UserRecord | undefined> {
    try {
      return await inTransaction(this.pool, async (db) => {
        const { rows } = await db.query<UserRow>(
          `UPDATE users SET
             email = COALESCE($2, email), name = COALESCE($3, name), password_hash = COALESCE($4, password_hash),
             is_disabled = COALESCE($5, is_disabled), updated_at = $6
           WHERE id = $1 RETURNING *`,
          [id, patch.email === undefined ? null : normalizeEmail(patch.email), patch.name ?? null, patch.passwordHash ?? null, patch.isDisabled ?? null, now],
        );
        if (rows.length === 0) return undefined;
        if (patch.memberships) await writeMemberships(db, id, patch.memberships);
        return (await withMemberships(db, rows))[0];
      });
    } catch (error) {
      if (isDuplicateEmail(error)) throw new DuplicateEmailError();
      throw error;
    }
  }

  async delete(id: string): Promise<boolean> {
    return ((await this.pool.query('DELETE FROM users WHERE id = $1', [id])).rowCount ?? 0) > 0;
  }

  async listInOrgs(orgIds: readonly string[]): Promise<UserRecord[]> {
    if (orgIds.length === 0) return [];
    const { rows } = await this.pool.query<UserRow>(
      'SELECT * FROM users WHERE id IN (SELECT user_id FROM memberships WHERE org_id = ANY($1::text[])) ORDER BY email',
      [[...orgIds]],
    );
    return withMemberships(this.pool, rows);
  }

  async countAdmins(): Promise<number> {
    const { rows } = await this.pool.query<{ count: number }>("SELECT count(DISTINCT user_id) AS count FROM memberships WHERE role = 'admin'");
    return rows[0]?.count ?? 0;
  }
}

async function writeMemberships(db: Queryable, userId: string, memberships: readonly Membership[]): Promise<void> {
  await db.query('DELETE FROM memberships WHERE user_id = $1', [userId]);
  if (memberships.length === 0) return;
  // site_ids travels as JSON: a text[][] parameter cannot hold lists of different lengths.
  await db.query(
    `INSERT INTO memberships (user_id, org_id, role, site_ids)
     SELECT $1, m.org_id, m.role, CASE WHEN m.site_ids IS NULL THEN NULL ELSE ARRAY(SELECT jsonb_array_elements_text(m.site_ids::jsonb)) END
     FROM unnest($2::text[], $3::text[], $4::text[]) AS m(org_id, role, site_ids)`,
    [
      userId,
      memberships.map((m) => m.orgId),
      memberships.map((m) => m.role),
      memberships.map((m) => (m.siteIds === 'all' ? null : JSON.stringify(m.siteIds))),
    ],
  );
}

/** Loads the memberships of all these users in one query. */
async function withMemberships(db: Queryable, users: readonly UserRow[]): Promise<UserRecord[]> {
  if (users.length === 0) return [];
  const { rows } = await db.query<MembershipRow>('SELECT * FROM memberships WHERE user_id = ANY($1::text[]) ORDER BY org_id', [users.map((u) => u.id)]);
  return users.map((row) => ({
    id: row.id,
    email: row.email,
    name: row.name,
    passwordHash: row.password_hash,
    isDisabled: row.is_disabled,
    memberships: rows
      .filter((m) => m.user_id === row.id)
      .map((m): Membership => ({ orgId: m.org_id, role: m.role, siteIds: m.site_ids ?? 'all' })),
    createdAt: row.created_at,
    updatedAt: row.updated_at,
  }));
}
