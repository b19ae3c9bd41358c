import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { uuidv7 } from '../../shared/id/uuidv7.ts';
import { makeDevice, makeSite } from '../../test/support/documents.ts';
import { SYSTEM_PRINCIPAL, userPrincipal } from '../auth/principal.ts';
import type { UserRecord } from '../store/accounts.ts';
import { SqliteStore } from '../store/sqlite/sqlite-store.ts';
import type { StoredDocument } from '../store/store.ts';
import { describeConflictProvenance } from './conflict-provenance.ts';

const WRITTEN_AT = Date.parse('2026-03-01T08:00:00.000Z');

describe('describeConflictProvenance', () => {
  let store: SqliteStore;
  const orgId = uuidv7();
  const otherOrgId = uuidv7();
  const site = makeSite(orgId);
  const master = { ...makeDevice(orgId, site.id), _deleted: false } as StoredDocument;
  const account = (name: string, memberships: UserRecord['memberships']): UserRecord => ({
    id: uuidv7(),
    email: `${uuidv7()}@example.test`,
    name,
    passwordHash: 'not-a-hash',
    isDisabled: false,
    memberships,
    createdAt: 1,
    updatedAt: 1,
  });
  const caller = userPrincipal(uuidv7(), [{ orgId, role: 'staff', siteIds: [site.id] }]);

  beforeEach(() => {
    store = new SqliteStore({ filename: ':memory:' });
  });
  afterEach(async () => {
    await store.close();
  });

  it('gives the server time as ISO and names a user writer who is a member of the document\'s organization', async () => {
    const dana = account('Dana Kim', [{ orgId, role: 'technician', siteIds: 'all' }]);
    await store.users.create(dana);
    const described = await describeConflictProvenance(store, caller, [master], [{ id: master.id, writtenAt: WRITTEN_AT, writtenBy: { kind: 'user', id: dana.id } }]);
    expect(described).toEqual([{ id: master.id, writtenAt: '2026-03-01T08:00:00.000Z', writtenBy: { kind: 'user', id: dana.id, name: 'Dana Kim' } }]);
  });

  it('withholds the name of a writer who is no longer in that organization, or whose account is gone', async () => {
    const moved = account('Moved On', [{ orgId: otherOrgId, role: 'manager', siteIds: 'all' }]);
    await store.users.create(moved);
    const gone = uuidv7();
    const described = await describeConflictProvenance(
      store,
      caller,
      [master, master],
      [
        { id: master.id, writtenAt: WRITTEN_AT, writtenBy: { kind: 'user', id: moved.id } },
        { id: master.id, writtenAt: WRITTEN_AT, writtenBy: { kind: 'user', id: gone } },
      ],
    );
    expect(described.map((entry) => entry.writtenBy)).toEqual([
      { kind: 'user', id: moved.id },
      { kind: 'user', id: gone },
    ]);
  });

  it('withholds names from a caller who may not read that organization\'s directory', async () => {
    const dana = account('Dana Kim', [{ orgId, role: 'technician', siteIds: 'all' }]);
    await store.users.create(dana);
    const outsider = userPrincipal(uuidv7(), [{ orgId: otherOrgId, role: 'admin', siteIds: 'all' }]);
    const [entry] = await describeConflictProvenance(store, outsider, [master], [{ id: master.id, writtenAt: WRITTEN_AT, writtenBy: { kind: 'user', id: dana.id } }]);
    expect(entry?.writtenBy).toEqual({ kind: 'user', id: dana.id });
  });

  it('names no agent or system writer, and no writer at all for documents written before writers were recorded', async () => {
    const described = await describeConflictProvenance(
      store,
      SYSTEM_PRINCIPAL,
      [master, master, master],
      [
        { id: master.id, writtenAt: WRITTEN_AT, writtenBy: { kind: 'agent', id: master.id } },
        { id: master.id, writtenAt: WRITTEN_AT, writtenBy: { kind: 'system', id: 'system' } },
        { id: master.id, writtenAt: WRITTEN_AT },
      ],
    );
    expect(described).toEqual([
      { id: master.id, writtenAt: '2026-03-01T08:00:00.000Z', writtenBy: { kind: 'agent', id: master.id } },
      { id: master.id, writtenAt: '2026-03-01T08:00:00.000Z', writtenBy: { kind: 'system', id: 'system' } },
      { id: master.id, writtenAt: '2026-03-01T08:00:00.000Z' },
    ]);
  });
});
