import * as v from 'valibot';
import { Id, documentBase, list, text } from './common.ts';

export const Contact = v.strictObject({
  id: Id,
  name: text(200, 1),
  role: v.optional(text(100)),
  phone: v.optional(text(50)),
  email: v.optional(text(254)),
});

export const Site = v.strictObject({
  ...documentBase,
  /** A site belongs to itself for scoping; `siteId` equals `id`. */
  siteId: Id,
  name: text(200, 1),
  code: v.optional(text(32)),
  address: v.optional(text(500)),
  timezone: text(64, 1),
  coordinates: v.optional(
    v.strictObject({
      lat: v.pipe(v.number(), v.minValue(-90), v.maxValue(90)),
      lon: v.pipe(v.number(), v.minValue(-180), v.maxValue(180)),
    }),
  ),
  contacts: list(Contact, 50),
  connectivityNotes: v.optional(text(2000)),
});
export type Site = v.InferOutput<typeof Site>;
