import { BusinessDate, CompanyDayFigures, ProductDayFigures, StoreDayFigures } from '@tillflow/core';
import type { Static } from 'typebox';
import * as Type from 'typebox/type';

/**
 * What the insight engines read: plain figures already computed by the metric steps, never raw rows. Series may come
 * in any order; entries after `date` are ignored, and so are days outside the windows each analysis uses.
 */
export const InsightFacts = Type.Object({
  /** The business date analysed. */
  date: BusinessDate,
  /** The figures of each store that reported on `date`. */
  stores: Type.Array(StoreDayFigures),
  /** The stores' figures of previous days: up to 28 days are used (anomalies), 13 for store trends. */
  storeHistory: Type.Array(StoreDayFigures),
  /** Company figures by day, `date` included: the last 14 days are used (trends, payment mix). */
  company: Type.Array(CompanyDayFigures),
  /** Product figures by day, `date` included: the last 14 days are used (product trends, fast movers). */
  products: Type.Array(ProductDayFigures),
});
export type InsightFacts = Static<typeof InsightFacts>;
