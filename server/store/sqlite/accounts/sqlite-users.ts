import type Database from 'better-sqlite3';
import type { Membership } from '../../../../shared/auth/permissions.ts';
import type { Role } from '../../../../shared/schema/user.ts';
import { DuplicateEmailError, type UserPatch, type UserRecord, type UserStore } from '../../accounts.ts';
import { normalizeEmail } from '../../rows.ts';

interface UserRow {
  id: string;
  email: string;
  name: string;
  password_hash: string;
  is_disabled: number;
  created_at: number;
  updated_at: number;
}

interface MembershipRow {
  user_id: string;
  org_id: string;
  role: Role;
  site_ids: string | null;
}

export class SqliteUsers implements UserStore {
  constructor(private readonly db: Database.Database) {}

  async create(user: UserRecord): Promise<void> {
    this.db.transaction(() => {
      try {
        this.db
          .prepare('INSERT INTO users (id, email, name, password_hash, is_disabled, created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?)')
          .run(user.id, normalizeEmail(user.email), user.name, user.passwordHash, user.isDisabled ? 1 : 0, user.createdAt, user.updatedAt);
      } catch (error) {
        if (error instanceof Error && /UNIQUE constraint failed: users.email/.test(error.message)) throw new DuplicateEmailError();
        throw error;
      }
      this.#writeMemberships(user.id, user.memberships);
    }).immediate();
  }

  async get(id: string): Promise<UserRecord | undefined> {
    const row = this.db.prepare<[string], UserRow>('SELECT * FROM users WHERE id = ?').get(id);
    return row ? this.#withMemberships(row) : undefined;
  }

  async findByEmail(email: string): Promise<UserRecord | undefined> {
    const row = this.db.prepare<[string], UserRow>('SELECT * FROM users WHERE email = ?').get(normalizeEmail(email));
    return row ? this.#withMemberships(row) : undefined;
  }

  async update(id: string, patch: UserPatch, now: number): Promise<UserRecord | undefined> {
    return this.db.transaction(() => {
      const row = this.db.prepare<[string], UserRow>('SELECT * FROM users WHERE id = ?').get(id);
      if (!row) return undefined;
      try {
        this.db
          .prepare('UPDATE users SET email = ?, name = ?, password_hash = ?, is_disabled = ?, updated_at = ? WHERE id = ?')
          .run(
            patch.email === undefined ? row.email : normalizeEmail(patch.email),
            patch.name ?? row.name,
            patch.passwordHash ?? row.password_hash,
            patch.isDisabled === undefined ? row.is_disabled : patch.isDisabled ? 1 : 0,
            now,
            id,
          );
      } catch (error) {
        if (error instanceof Error && /UNIQUE constraint failed: users.email/.test(error.message)) throw new DuplicateEmailError();
        throw error;
      }
      if (patch.memberships) this.#writeMemberships(id, patch.memberships);
      const updated = this.db.prepare<[string], UserRow>('SELECT * FROM users WHERE id = ?').get(id);
      return updated ? this.#withMemberships(updated) : undefined;
    }).immediate();
  }

  async delete(id: string): Promise<boolean> {
    return this.db.prepare('DELETE FROM users WHERE id = ?').run(id).changes > 0;
  }

  async listInOrgs(orgIds: readonly string[]): Promise<UserRecord[]> {
    if (orgIds.length === 0) return [];
    const rows = this.db
      .prepare<string[], UserRow>(
        `SELECT * FROM users WHERE id IN (SELECT user_id FROM memberships WHERE org_id IN (${orgIds.map(() => '?').join(', ')}))
         ORDER BY email`,
      )
      .all(...orgIds);
    return rows.map((row) => this.#withMemberships(row));
  }

  async countAdmins(): Promise<number> {
    return this.db.prepare("SELECT count(DISTINCT user_id) FROM memberships WHERE role = 'admin'").pluck().get() as number;
  }

  #writeMemberships(userId: string, memberships: readonly Membership[]): void {
    this.db.prepare('DELETE FROM memberships WHERE user_id = ?').run(userId);
    const insert = this.db.prepare('INSERT INTO memberships (user_id, org_id, role, site_ids) VALUES (?, ?, ?, ?)');
    for (const m of memberships) insert.run(userId, m.orgId, m.role, m.siteIds === 'all' ? null : JSON.stringify(m.siteIds));
  }

  #withMemberships(row: UserRow): UserRecord {
    const memberships = this.db
      .prepare<[string], MembershipRow>('SELECT * FROM memberships WHERE user_id = ? ORDER BY org_id')
      .all(row.id)
      .map((m): Membership => ({ orgId: m.org_id, role: m.role, siteIds: m.site_ids === null ? 'all' : (JSON.parse(m.site_ids) as string[]) }));
    return {
      id: row.id,
      email: row.email,
      name: row.name,
      passwordHash: row.password_hash,
      isDisabled: row.is_disabled === 1,
      memberships,
      createdAt: row.created_at,
      updatedAt: row.updated_at,
    };
  }
}
