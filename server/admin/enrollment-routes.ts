import { Hono } from 'hono';
import * as v from 'valibot';
import { Id } from '../../shared/schema/common.ts';
import { recordAccountEvent } from '../auth/audit-events.ts';
import { hashToken, newSecretToken } from '../auth/tokens.ts';
import type { AppEnv } from '../http/app-env.ts';
import { clientAddress } from '../http/client-address.ts';
import { ApiError, parseInput } from '../http/errors.ts';
import { readJsonBody } from '../http/json-body.ts';
import type { EnrollmentTokenRecord } from '../store/accounts.ts';
import type { Store } from '../store/store.ts';
import { adminOrgIds, requireAdminOf } from './require-admin.ts';

const MAX_USES_LIMIT = 100_000;

const CreateTokenBody = v.strictObject({
  siteId: Id,
  expiresInHours: v.pipe(v.number(), v.integer('must be a whole number of hours'), v.minValue(1), v.maxValue(24 * 90, 'must be at most 2160 (90 days)')),
  /** How many agents may enroll with it; absent: as many as come before it expires. */
  maxUses: v.optional(v.pipe(v.number(), v.integer('must be a whole number of enrollments'), v.minValue(1, 'must be at least 1'), v.maxValue(MAX_USES_LIMIT, `must be at most ${MAX_USES_LIMIT}`))),
});

/** Never the hash: what an administrator needs to tell tokens apart and decide on revoking. */
const describeToken = (token: EnrollmentTokenRecord) => ({
  id: token.id,
  orgId: token.orgId,
  siteId: token.siteId,
  createdBy: token.createdBy,
  createdAt: new Date(token.createdAt).toISOString(),
  expiresAt: new Date(token.expiresAt).toISOString(),
  revokedAt: token.revokedAt === undefined ? null : new Date(token.revokedAt).toISOString(),
  uses: token.uses,
  maxUses: token.maxUses ?? null,
});

const LISTED_TOKENS = 500;

export function enrollmentTokenRoutes(store: Store): Hono<AppEnv> {
  const routes = new Hono<AppEnv>();

  routes.get('/', async (c) => {
    const orgIds = adminOrgIds(c);
    requireAdminOf(c, orgIds);
    const tokens = await store.enrollmentTokens.listInOrgs(orgIds, LISTED_TOKENS);
    return c.json({ tokens: tokens.map(describeToken) });
  });

  routes.post('/', async (c) => {
    const body = parseInput('body', CreateTokenBody, await readJsonBody(c));
    const [site] = await store.getMany('sites', [body.siteId]);
    if (!site || site._deleted || !adminOrgIds(c).includes(site.orgId)) {
      throw new ApiError(404, 'not_found', 'no such site in the organizations you administer', 'body.siteId');
    }
    requireAdminOf(c, [site.orgId]);
    const token = newSecretToken();
    const now = Date.now();
    const record = {
      id: crypto.randomUUID(),
      tokenHash: hashToken(token),
      orgId: site.orgId,
      siteId: site.id,
      createdBy: c.get('principal').id,
      createdAt: now,
      expiresAt: now + body.expiresInHours * 3_600_000,
      revokedAt: undefined,
      uses: 0,
      maxUses: body.maxUses,
    };
    await store.enrollmentTokens.create(record);
    await recordAccountEvent(store, {
      actorKind: 'user', actorId: c.get('principal').id, action: 'enrollment_token_created', documentId: record.id,
      orgIds: [site.orgId], clientAddress: clientAddress(c), detail: { siteId: site.id, expiresAt: new Date(record.expiresAt).toISOString(), maxUses: record.maxUses ?? null },
    });
    // The token itself is shown this once; only its hash is kept.
    return c.json({ id: record.id, token, siteId: site.id, expiresAt: new Date(record.expiresAt).toISOString(), maxUses: record.maxUses ?? null }, 201);
  });

  routes.delete('/:id', async (c) => {
    const id = c.req.param('id');
    const token = v.is(Id, id) ? await store.enrollmentTokens.get(id) : undefined;
    if (!token || !adminOrgIds(c).includes(token.orgId)) throw new ApiError(404, 'not_found', 'no such enrollment token', 'id');
    await store.enrollmentTokens.revoke(token.id, Date.now());
    await recordAccountEvent(store, {
      actorKind: 'user', actorId: c.get('principal').id, action: 'enrollment_token_revoked', documentId: token.id,
      orgIds: [token.orgId], clientAddress: clientAddress(c),
    });
    return c.body(null, 204);
  });

  return routes;
}
