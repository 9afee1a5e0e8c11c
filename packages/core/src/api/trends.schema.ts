import type { Static } from 'typebox';
import * as Type from 'typebox/type';
import { BusinessDate, Money } from '../store-summary.schema';
import { DateParameter, StoreParameter } from './common.schema';

/** `GET /trends?store=&days=&date=`: `days` days ending on `date` (default: the latest analysed day). */
export const TrendsQuery = Type.Object({
  store: Type.Optional(StoreParameter),
  days: Type.Optional(
    Type.Integer({ minimum: 1, maximum: 366, default: 30, description: 'days in the series (1–366)' }),
  ),
  date: Type.Optional(DateParameter),
});
export type TrendsQuery = Static<typeof TrendsQuery>;

/**
 * One day of a series. A day with no figures has `reported: false` and zeros (not skipped), so a chart's x axis is
 * the calendar. Moving averages are over the days with figures in the trailing 7 / 30 calendar days (fetched beyond
 * the window's start so the first points have their history), null when none.
 */
export const TrendPoint = Type.Object({
  date: BusinessDate,
  reported: Type.Boolean(),
  net_sales: Money,
  transactions: Type.Integer({ minimum: 0 }),
  avg_basket: Money,
  net_sales_ma7: Type.Union([Money, Type.Null()]),
  net_sales_ma30: Type.Union([Money, Type.Null()]),
});
export type TrendPoint = Static<typeof TrendPoint>;

/** The last 7 days of the window against the 7 before: sums and the change in percent (null when before is 0). */
export const WeekOverWeek = Type.Object({
  net_sales: Money,
  previous_net_sales: Money,
  net_sales_change_pct: Type.Union([Type.Number(), Type.Null()]),
  transactions: Type.Integer({ minimum: 0 }),
  previous_transactions: Type.Integer({ minimum: 0 }),
  transactions_change_pct: Type.Union([Type.Number(), Type.Null()]),
});
export type WeekOverWeek = Static<typeof WeekOverWeek>;

export const TrendSeries = Type.Object({
  points: Type.Array(TrendPoint),
  week_over_week: WeekOverWeek,
});
export type TrendSeries = Static<typeof TrendSeries>;

/** A product's company-wide units and net sales over the window's last 7 days against the 7 before. */
export const ProductTrend = Type.Object({
  sku: Type.String(),
  name: Type.String(),
  net_sales: Money,
  previous_net_sales: Money,
  change_pct: Type.Union([Type.Number(), Type.Null()]),
  units: Type.Integer({ minimum: 0 }),
  previous_units: Type.Integer({ minimum: 0 }),
  direction: Type.Enum(['improving', 'declining', 'stable']),
});
export type ProductTrend = Static<typeof ProductTrend>;

/** `GET /trends` 200. */
export const TrendsResponse = Type.Object({
  from: BusinessDate,
  to: BusinessDate,
  days: Type.Integer({ minimum: 1, maximum: 366 }),
  company: TrendSeries,
  /** The store's series when `store` was given, else null. */
  store: Type.Union([Type.Object({ store_id: Type.String(), ...TrendSeries.properties }), Type.Null()]),
  /** Up to 10 rising and 10 falling products by net sales change, largest change first. */
  products: Type.Object({ rising: Type.Array(ProductTrend), falling: Type.Array(ProductTrend) }),
});
export type TrendsResponse = Static<typeof TrendsResponse>;
