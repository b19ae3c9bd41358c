import { Hono } from 'hono';
import * as v from 'valibot';
import type { AppEnv } from '../http/app-env.ts';
import { parseInput } from '../http/errors.ts';
import type { Store } from '../store/store.ts';
import { adminOrgIds, requireAdminOf } from './require-admin.ts';

const AuditQuery = v.strictObject({
  cursor: v.optional(v.pipe(v.string(), v.regex(/^\d{1,15}$/, 'must be a whole number'), v.transform(Number))),
  limit: v.optional(v.pipe(v.string(), v.regex(/^\d{1,4}$/, 'must be a whole number'), v.transform(Number), v.minValue(1), v.maxValue(1000))),
});

/** Read-only: the audit log has no route that edits it. */
export function auditRoutes(store: Store): Hono<AppEnv> {
  const routes = new Hono<AppEnv>();
  routes.get('/', async (c) => {
    const orgIds = adminOrgIds(c);
    requireAdminOf(c, orgIds);
    const query = parseInput('query', AuditQuery, c.req.query());
    const entries = await store.audit.list(orgIds, query.cursor ?? 0, query.limit ?? 200);
    return c.json({ entries, cursor: entries.at(-1)?.id ?? query.cursor ?? 0 });
  });
  return routes;
}
