import * as v from 'valibot';
import { Id, documentBase, list, text } from './common.ts';

export const ROLES = ['admin', 'manager', 'technician', 'staff'] as const;
export type Role = (typeof ROLES)[number];

/** A user's entry in one organization's directory. Never carries password material. */
export const UserEntry = v.strictObject({
  ...documentBase,
  userId: Id,
  name: text(200, 1),
  email: text(254, 3),
  role: v.picklist(ROLES),
  /** Empty: every site of the organization. */
  siteIds: list(Id, 500),
  disabled: v.optional(v.boolean()),
});
export type UserEntry = v.InferOutput<typeof UserEntry>;
