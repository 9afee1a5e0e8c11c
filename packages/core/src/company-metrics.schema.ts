import type { Static } from 'typebox';
import * as Type from 'typebox/type';
import { BusinessDate, Money, SalesFigures } from './store-summary.schema';

/** A store named with its net sales: how the best and worst store of a day are reported. */
export const StoreStanding = Type.Object({ store_id: Type.String(), net_sales: Money });
export type StoreStanding = Static<typeof StoreStanding>;

/**
 * The company's figures for one business date (`shared/DESIGN.md`, Metric definitions): every sum is the sum of the
 * reported stores' figures, so that the company and its stores can never disagree. Stored under `companyMetricsKey`.
 */
export const CompanyDayFigures = Type.Object({
  date: BusinessDate,
  ...SalesFigures.properties,
  /** Highest net sales (ties: lowest store id); null when no store reported. */
  best_store: Type.Union([StoreStanding, Type.Null()]),
  /** Lowest net sales (ties: lowest store id); null when no store reported. */
  worst_store: Type.Union([StoreStanding, Type.Null()]),
  /** How many stores' figures are included in the sums (reported_stores.length). */
  stores_reported: Type.Integer({ minimum: 0 }),
  /** How many stores were expected that day (the configured list, deduplicated). */
  stores_expected: Type.Integer({ minimum: 0 }),
  /** Store ids included in the sums, ascending. */
  reported_stores: Type.Array(Type.String()),
  /** Expected store ids with no figures, ascending. */
  missing_stores: Type.Array(Type.String()),
  /** Reported store ids that are not in the expected list (still included in the sums), ascending. */
  unexpected_stores: Type.Array(Type.String()),
});
export type CompanyDayFigures = Static<typeof CompanyDayFigures>;
