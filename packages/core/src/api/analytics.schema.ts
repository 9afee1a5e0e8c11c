import type { Static } from 'typebox';
import * as Type from 'typebox/type';
import { RankedProduct } from '../product-metrics.schema';
import { BusinessDate, Money, PaymentMix, SalesFigures, StoreDayFigures } from '../store-summary.schema';
import { DateParameter } from './common.schema';

/** `GET /analytics?date=`: without `date`, the latest analysed day. */
export const AnalyticsQuery = Type.Object({ date: Type.Optional(DateParameter) });
export type AnalyticsQuery = Static<typeof AnalyticsQuery>;

/** The company's KPIs of a day: the sums over the reported stores (`CompanyDayFigures` without its store lists). */
export const CompanyKpis = Type.Object({
  ...SalesFigures.properties,
  /** discounts / gross_sales in percent, two decimals; 0 when there are no gross sales. */
  discount_rate_pct: Type.Number(),
});
export type CompanyKpis = Static<typeof CompanyKpis>;

/** One store's figures of the day (the store summary without its bookkeeping) and its share of the company's. */
export const StoreFigures = Type.Object({
  ...StoreDayFigures.properties,
  rejected_lines: Type.Integer({ minimum: 0 }),
  /** The store's net sales as a percentage of the company's, two decimals. */
  share_pct: Type.Number(),
  /** 1 for the highest net sales of the day. */
  rank: Type.Integer({ minimum: 1 }),
});
export type StoreFigures = Static<typeof StoreFigures>;

/** What an insight is about and how much it matters; `facts` are the numbers it rests on. */
export const InsightSeverity = Type.Enum(['low', 'medium', 'high', 'critical']);
export type InsightSeverity = Static<typeof InsightSeverity>;

/**
 * One insight of the day, flattened from the analysis: anomalies keep their severity; a trend is `medium` when
 * significant, else `low`; a recommendation's priority is its severity. `facts` are the numbers it rests on.
 */
export const ApiInsight = Type.Object({
  id: Type.String(),
  kind: Type.Enum(['anomaly', 'trend', 'recommendation']),
  scope: Type.Enum(['company', 'store', 'product', 'payment_method']),
  subject: Type.String(),
  /** The figure concerned (`net_sales`, ...), or the recommendation's category. */
  metric: Type.String(),
  severity: InsightSeverity,
  summary: Type.String(),
  /** A recommendation's action; else null. */
  action: Type.Union([Type.String(), Type.Null()]),
  facts: Type.Record(Type.String(), Type.Number()),
});
export type ApiInsight = Static<typeof ApiInsight>;

/** The day's completeness: who reported, who is missing or late, and which analysis the figures come from. */
export const DayStatusView = Type.Object({
  stores_expected: Type.Integer({ minimum: 0 }),
  stores_reported: Type.Integer({ minimum: 0 }),
  reported_stores: Type.Array(Type.String()),
  /** Expected stores with no figures in the analysed figures. */
  missing_stores: Type.Array(Type.String()),
  /** Stores that reported after the analysis of these figures was claimed (a re-analysis may be pending). */
  late_stores: Type.Array(Type.String()),
  unexpected_stores: Type.Array(Type.String()),
  /** The revision the figures were computed by (1 = the first analysis). */
  analysis_revision: Type.Integer({ minimum: 1 }),
  /** The day's latest requested revision; above `analysis_revision` while a re-analysis is pending. */
  latest_revision: Type.Integer({ minimum: 1 }),
  analysis_claimed_at: Type.Union([Type.String(), Type.Null()]),
  /** True when every expected store is in the figures and no re-analysis is pending: the figures will not change. */
  complete: Type.Boolean(),
});
export type DayStatusView = Static<typeof DayStatusView>;

/** `GET /analytics` 200. Money in decimal units (two decimals), as stored. */
export const AnalyticsResponse = Type.Object({
  date: BusinessDate,
  company: CompanyKpis,
  payment_mix: PaymentMix,
  stores: Type.Array(StoreFigures),
  best_store: Type.Union([Type.Object({ store_id: Type.String(), net_sales: Money }), Type.Null()]),
  worst_store: Type.Union([Type.Object({ store_id: Type.String(), net_sales: Money }), Type.Null()]),
  products: Type.Object({
    total_products: Type.Integer({ minimum: 0 }),
    top: Type.Array(RankedProduct),
    bottom: Type.Array(RankedProduct),
  }),
  insights: Type.Object({
    provider: Type.String(),
    degraded: Type.Boolean(),
    summary: Type.String(),
    items: Type.Array(ApiInsight),
  }),
  status: DayStatusView,
});
export type AnalyticsResponse = Static<typeof AnalyticsResponse>;
