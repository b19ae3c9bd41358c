import * as v from 'valibot';
import { documentBase, text } from './common.ts';

/** The tenant. An org document is its own organization: `orgId` equals `id`. */
export const Org = v.pipe(
  v.strictObject({
    ...documentBase,
    name: text(200, 1),
    timezone: v.optional(text(64)),
  }),
  v.check((org) => org.orgId === org.id, 'orgId must equal id for an organization'),
);
export type Org = v.InferOutput<typeof Org>;
