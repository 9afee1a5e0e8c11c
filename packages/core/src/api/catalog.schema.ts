import type { Static } from 'typebox';
import * as Type from 'typebox/type';
import { BusinessDate } from '../store-summary.schema';

/** A store the chain has: expected by configuration, or seen in an upload. */
export const StoreEntry = Type.Object({
  store_id: Type.String(),
  /** The store's name when one is known; null otherwise (store files carry no name). */
  name: Type.Union([Type.String(), Type.Null()]),
  expected: Type.Boolean(),
  /** The latest business date the store has figures for; null when it never reported. */
  last_reported_date: Type.Union([BusinessDate, Type.Null()]),
});
export type StoreEntry = Static<typeof StoreEntry>;

/** `GET /stores` 200, ascending by store id. */
export const StoresResponse = Type.Object({ stores: Type.Array(StoreEntry) });
export type StoresResponse = Static<typeof StoresResponse>;

/** An analysed day and how complete it is. */
export const DateEntry = Type.Object({
  date: BusinessDate,
  stores_reported: Type.Integer({ minimum: 0 }),
  stores_expected: Type.Integer({ minimum: 0 }),
  analysis_revision: Type.Integer({ minimum: 1 }),
});
export type DateEntry = Static<typeof DateEntry>;

/** `GET /dates` 200: every analysed day, newest first. */
export const DatesResponse = Type.Object({
  dates: Type.Array(DateEntry),
  latest: Type.Union([BusinessDate, Type.Null()]),
});
export type DatesResponse = Static<typeof DatesResponse>;
