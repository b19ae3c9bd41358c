import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ADMIN_ACTIONS, type AdminAction, type AdminActionName, type AdminCell, type Snapshot } from './matrix/admin-actions.ts';
import { buildAdminWorld, CALLERS, TARGETS, type AdminWorld, type Caller, type Target } from './matrix/admin-world.ts';

/*
 * Who may read and change which accounts through the administration routes, across
 * organizations: org A and org B; callers who administer A, B or both, and a manager of A;
 * target accounts in A, in B, or in both. The tables are the specification (DESIGN.md,
 * Security), written out by hand: what belongs to the account as a whole (email, name,
 * password, disabled flag, sessions) only an administrator of all its organizations changes;
 * a membership only an administrator of its organization; nobody sees a membership in an
 * organization they do not administer.
 */

// ---------------------------------------------------------------------------------------------
// Reads: which of the target's memberships the caller's list of users shows.

type Listed = 'A' | 'B' | 'A and B' | 'not listed';

const READS: Record<Target, readonly [adminA: Listed, adminB: Listed, adminAB: Listed, managerA: Listed]> = {
  //              admin of A     admin of B     admin of A and B  manager of A
  'in A':        ['A',           'not listed',  'A',              'not listed'],
  'in A and B':  ['A',           'B',           'A and B',        'not listed'],
  'in B':        ['not listed',  'B',           'B',              'not listed'],
};

// ---------------------------------------------------------------------------------------------
// Writes, one request per cell on a fresh target.
// allowed:   2xx, and the action did what it asked (a creation under a taken email: the
//            membership is added, nothing else of the account changes).
// forbidden: 403. hidden: 404 (not an account of the caller's organizations). invalid: 400.
// taken:     409 (the account is already in the caller's organizations).
// Anything but allowed leaves the account and its session exactly as they were.

type Outcome = 'allowed' | 'forbidden' | 'hidden' | 'invalid' | 'taken';
type Row = readonly [adminA: Outcome, adminB: Outcome, adminAB: Outcome, managerA: Outcome];
const Y = 'allowed' as const;
const F = 'forbidden' as const;
const H = 'hidden' as const;
const I = 'invalid' as const;
const T = 'taken' as const;

const STATUS: Record<Exclude<Outcome, 'allowed'>, number> = { forbidden: 403, hidden: 404, invalid: 400, taken: 409 };

const WRITES: Record<Target, Record<AdminActionName, Row>> = {
  'in A': {
    //                                              admin A  admin B  admin AB  manager A
    'change the email':                             [Y,      H,       Y,        H],
    'change the name':                              [Y,      H,       Y,        H],
    'set a password':                               [Y,      H,       Y,        H],
    'disable':                                      [Y,      H,       Y,        H],
    'end its sessions':                             [Y,      H,       Y,        H],
    'make it manager in A':                         [Y,      H,       Y,        H],
    'make it manager in B':                         [F,      H,       Y,        H],
    'limit it in A to the site of B':               [I,      H,       I,        H],
    'limit it in B to the site of A':               [F,      H,       I,        H],
    "remove it from the caller's organizations":    [Y,      H,       Y,        H],
    'create an account with its email in A':        [T,      F,       T,        F],
    'create an account with its email in B':        [F,      Y,       T,        F],
  },
  'in A and B': {
    'change the email':                             [F,      F,       Y,        H],
    'change the name':                              [F,      F,       Y,        H],
    'set a password':                               [F,      F,       Y,        H],
    'disable':                                      [F,      F,       Y,        H],
    'end its sessions':                             [F,      F,       Y,        H],
    'make it manager in A':                         [Y,      F,       Y,        H],
    'make it manager in B':                         [F,      Y,       Y,        H],
    'limit it in A to the site of B':               [I,      F,       I,        H],
    'limit it in B to the site of A':               [F,      I,       I,        H],
    "remove it from the caller's organizations":    [Y,      Y,       Y,        H],
    'create an account with its email in A':        [T,      F,       T,        F],
    'create an account with its email in B':        [F,      T,       T,        F],
  },
  'in B': {
    'change the email':                             [H,      Y,       Y,        H],
    'change the name':                              [H,      Y,       Y,        H],
    'set a password':                               [H,      Y,       Y,        H],
    'disable':                                      [H,      Y,       Y,        H],
    'end its sessions':                             [H,      Y,       Y,        H],
    'make it manager in A':                         [H,      F,       Y,        H],
    'make it manager in B':                         [H,      Y,       Y,        H],
    'limit it in A to the site of B':               [H,      F,       I,        H],
    'limit it in B to the site of A':               [H,      I,       I,        H],
    "remove it from the caller's organizations":    [H,      Y,       Y,        H],
    'create an account with its email in A':        [Y,      F,       T,        F],
    'create an account with its email in B':        [F,      T,       T,        F],
  },
};

/** Bumped by every cell; the last test checks the total, so an emptied table cannot pass vacuously. */
const MINIMUM_CELLS = TARGETS.length * CALLERS.length * (1 + Object.keys(ADMIN_ACTIONS).length);
let cellsAsserted = 0;

const column = (caller: Caller): 0 | 1 | 2 | 3 => CALLERS.indexOf(caller) as 0 | 1 | 2 | 3;

let world: AdminWorld;

beforeAll(async () => {
  world = await buildAdminWorld();
});

afterAll(async () => {
  await world?.server.dispose();
});

interface AnsweredUser {
  id: string;
  memberships: { orgId: string }[];
}

const orgLabel = (orgId: string): string => (orgId === world.orgA ? 'A' : orgId === world.orgB ? 'B' : `another organization (${orgId})`);

describe("an administrator's list of users shows only memberships in the organizations they administer", () => {
  const cells = TARGETS.flatMap((target) => CALLERS.map((caller) => ({ target, caller, expected: READS[target][column(caller)] })));
  it.each(cells)('$caller lists an account $target: $expected', async ({ target, caller, expected }) => {
    cellsAsserted++;
    const account = await world.addTarget(target);
    const response = await world.callers[caller].fetch(`${world.server.url}/api/admin/users`);
    expect(response.status).toBe(200);
    const { users } = (await response.json()) as { users: AnsweredUser[] };
    const listed = users.find((u) => u.id === account.id);
    const shown = listed === undefined ? 'not listed' : listed.memberships.map((m) => orgLabel(m.orgId)).sort().join(' and ');
    expect(shown).toBe(expected);
    // Nobody's memberships outside the caller's organizations, in anybody's entry.
    const administers = world.callers[caller].administers;
    expect(users.flatMap((u) => u.memberships.filter((m) => !administers.includes(m.orgId)).map((m) => `${u.id} in ${orgLabel(m.orgId)}`))).toEqual([]);
  });
});

async function snapshot(cell: AdminCell): Promise<Snapshot> {
  return {
    user: await world.server.store.users.get(cell.target.id),
    hasSession: (await world.server.store.sessions.find(cell.target.sessionTokenHash)) !== undefined,
  };
}

describe.each(CALLERS)('%s', (caller) => {
  const cells = TARGETS.flatMap((target) =>
    (Object.keys(ADMIN_ACTIONS) as AdminActionName[]).map((action) => ({ target, action, expected: WRITES[target][action][column(caller)] })),
  );
  it.each(cells)('$action of an account $target → $expected', async ({ target, action, expected }) => {
    cellsAsserted++;
    const cell: AdminCell = { world, caller, target: await world.addTarget(target) };
    const definition: AdminAction = ADMIN_ACTIONS[action];
    const request = definition.request(cell);
    const before = await snapshot(cell);
    const response = await world.callers[caller].fetch(`${world.server.url}${request.path}`, {
      method: request.method,
      ...(request.body === undefined ? {} : { headers: { 'content-type': 'application/json' }, body: JSON.stringify(request.body) }),
    });
    const text = await response.text();
    const after = await snapshot(cell);
    if (expected === 'allowed') {
      expect(response.status, text).toBeGreaterThanOrEqual(200);
      expect(response.status, text).toBeLessThan(300);
      definition.expectApplied(before, after, cell);
      const answered = text === '' ? undefined : (JSON.parse(text) as { user?: AnsweredUser }).user;
      const administers = world.callers[caller].administers;
      expect(answered?.memberships.filter((m) => !administers.includes(m.orgId)) ?? [], 'the answer shows a membership outside the caller\'s organizations').toEqual([]);
      return;
    }
    expect(response.status, text).toBe(STATUS[expected]);
    expect(after, 'a refused request changed the account').toEqual(before);
  });
});

it('asserted every cell of the tables', () => {
  expect(cellsAsserted).toBeGreaterThanOrEqual(MINIMUM_CELLS);
});
