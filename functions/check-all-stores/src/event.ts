import { BusinessDate, STORE_ID_RE } from '@tillflow/core';
import type { Static } from 'typebox';
import * as Type from 'typebox/type';

/** check-all-stores' event: the store-day that was just written, and the upload that wrote it. */
export const CheckStoresEvent = Type.Object({
  storeId: Type.String({ pattern: STORE_ID_RE.source }),
  date: BusinessDate,
  sourceKey: Type.String({ minLength: 1 }),
  etag: Type.String({ minLength: 1 }),
  /** The upload replaced figures of an earlier version of the same store-day (a corrected re-upload). */
  replaced: Type.Boolean(),
  eventTime: Type.String({ minLength: 1 }),
});
export type CheckStoresEvent = Static<typeof CheckStoresEvent>;
