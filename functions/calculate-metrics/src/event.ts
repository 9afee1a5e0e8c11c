import { BusinessDate, STORE_ID_RE } from '@tillflow/core';
import type { Static } from 'typebox';
import * as Type from 'typebox/type';

/** calculate-metrics' event: the store-day's Parquet (process-upload's `processedKey`) and whose day it is. */
export const CalculateMetricsEvent = Type.Object({
  processedKey: Type.String({ minLength: 1 }),
  storeId: Type.String({ pattern: STORE_ID_RE.source }),
  date: BusinessDate,
});
export type CalculateMetricsEvent = Static<typeof CalculateMetricsEvent>;
