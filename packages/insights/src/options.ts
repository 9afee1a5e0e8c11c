/**
 * The thresholds of the statistical engine. The defaults are the documented method (see the package README section in
 * `statistical.ts`); callers override them for tests or tuning, never per call site.
 */
export interface StatisticalOptions {
  /** Trailing days of store history used for anomalies. */
  historyDays: number;
  /** Same-weekday days needed to prefer them over the whole trailing window. */
  minSameWeekdayDays: number;
  /** Trailing days needed for any history comparison. */
  minHistoryDays: number;
  /** |robust z| at or above which a figure is unusual (Iglewicz and Hoaglin recommend 3.5). */
  zThreshold: number;
  /** Smallest |deviation| in percent worth reporting, however unusual. */
  minDeviationPct: number;
  /** Floor of the robust scale, as a fraction of the median (see `robustScore`). */
  relativeScaleFloor: number;
  /** |deviation| in percent at or above which an anomaly is critical, high, medium; below medium it is low. */
  severityPct: { critical: number; high: number; medium: number };
  /** Stores with a baseline needed for a peer comparison. */
  minPeers: number;
  /** Same-weekday pairs needed for a trend. */
  minTrendDays: number;
  /** |week-over-week change| in percent below which a significant change is still `stable`. */
  trendBandPct: number;
  /** Product trends kept (the largest changes in net sales), besides which stable products are never listed. */
  maxProductTrends: number;
  /** Store net-sales decline (percent, negative) that asks for an investigation without an anomaly. */
  investigateTrendPct: number;
  /** Rise in weekly units (percent) that makes a top product a fast mover to restock. */
  restockUnitsPct: number;
  /** Fall in weekly net sales (percent, negative) that makes a product worth promoting. */
  promoteDropPct: number;
  /** Promotions suggested at most per day, the largest losses first. */
  maxPromotions: number;
  /** Shift in a payment method's share of net sales, in percentage points, worth a recommendation. */
  paymentShiftPp: number;
}

export const DEFAULT_STATISTICAL_OPTIONS: Readonly<StatisticalOptions> = Object.freeze({
  historyDays: 28,
  minSameWeekdayDays: 3,
  minHistoryDays: 7,
  zThreshold: 3.5,
  minDeviationPct: 10,
  relativeScaleFloor: 0.03,
  severityPct: Object.freeze({ critical: 50, high: 30, medium: 20 }),
  minPeers: 4,
  minTrendDays: 4,
  trendBandPct: 5,
  maxProductTrends: 20,
  investigateTrendPct: -15,
  restockUnitsPct: 20,
  promoteDropPct: -20,
  maxPromotions: 5,
  paymentShiftPp: 5,
});

export function resolveOptions(options: Partial<StatisticalOptions> = {}): StatisticalOptions {
  return { ...DEFAULT_STATISTICAL_OPTIONS, ...options };
}
