import { BusinessDate } from '@tillflow/core';
import type { Static } from 'typebox';
import * as Type from 'typebox/type';

/** What an insight is about. `subject` is `company`, a store id, a SKU or a payment method accordingly. */
export const InsightScope = Type.Enum(['company', 'store', 'product', 'payment_method']);
export type InsightScope = Static<typeof InsightScope>;

export const InsightKind = Type.Enum(['anomaly', 'trend', 'recommendation']);
export type InsightKind = Static<typeof InsightKind>;

/**
 * The numbers an insight rests on, by name (`value`, `baseline_median`, `change_pct`, ...). Percentages are stated in
 * percent (-60 for a 60% drop), money in decimal units. A reader can check every one against the stored figures.
 */
export const Facts = Type.Record(Type.String(), Type.Number());
export type Facts = Static<typeof Facts>;

const InsightBase = {
  /** Deterministic: derived from (date, kind, scope, subject, metric), so a re-run overwrites instead of adding. */
  id: Type.String({ pattern: '^[atr]-[0-9a-f]{16}$' }),
  date: BusinessDate,
  scope: InsightScope,
  subject: Type.String({ minLength: 1 }),
  /** One sentence for people, built from `facts`. */
  summary: Type.String(),
  facts: Facts,
};

export const Severity = Type.Enum(['low', 'medium', 'high', 'critical']);
export type Severity = Static<typeof Severity>;

export const AnomalyMetric = Type.Enum(['net_sales', 'transactions', 'avg_basket']);
export type AnomalyMetric = Static<typeof AnomalyMetric>;

/**
 * A store-day figure far from what was expected. `history`: against the store's own trailing days; `peers`: the
 * store's net sales relative to its own typical level, against the other stores' same ratio that day.
 */
export const Anomaly = Type.Object({
  ...InsightBase,
  kind: Type.Literal('anomaly'),
  metric: AnomalyMetric,
  method: Type.Enum(['history', 'peers']),
  /** `same_weekday` when enough same-weekday days were available, else `trailing` (every day of the window). */
  basis: Type.Enum(['same_weekday', 'trailing', 'peers']),
  direction: Type.Enum(['above', 'below']),
  severity: Severity,
  value: Type.Number(),
  expected: Type.Number(),
  deviation_pct: Type.Number(),
  robust_z: Type.Number(),
});
export type Anomaly = Static<typeof Anomaly>;

export const TrendDirection = Type.Enum(['improving', 'declining', 'stable']);
export type TrendDirection = Static<typeof TrendDirection>;

/**
 * Week over week: the last 7 days (ending on the date) against the 7 before, compared weekday by weekday. `current` and
 * `previous` sum the paired days only, so a day missing from either week is missing from both.
 */
export const Trend = Type.Object({
  ...InsightBase,
  kind: Type.Literal('trend'),
  metric: Type.Enum(['net_sales', 'transactions']),
  direction: TrendDirection,
  current: Type.Number(),
  previous: Type.Number(),
  /** null when the previous week is 0. */
  change_pct: Type.Union([Type.Number(), Type.Null()]),
  /** Same-weekday pairs compared (at most 7). */
  days: Type.Integer({ minimum: 0, maximum: 7 }),
  significant: Type.Boolean(),
});
export type Trend = Static<typeof Trend>;

export const RecommendationCategory = Type.Enum(['restock', 'investigate', 'promote', 'payment_mix']);
export type RecommendationCategory = Static<typeof RecommendationCategory>;

export const Priority = Type.Enum(['high', 'medium', 'low']);
export type Priority = Static<typeof Priority>;

/** Something to do, one per (subject, category) and day; `evidence` names the anomalies and trends it rests on. */
export const Recommendation = Type.Object({
  ...InsightBase,
  kind: Type.Literal('recommendation'),
  category: RecommendationCategory,
  priority: Priority,
  action: Type.String({ minLength: 1 }),
  rationale: Type.String(),
  evidence: Type.Array(Type.String()),
});
export type Recommendation = Static<typeof Recommendation>;

export const ProviderName = Type.Enum(['statistical', 'bedrock']);
export type ProviderName = Static<typeof ProviderName>;

/**
 * The insights of one business date, stored under `insightsKey(date)`. `provider` is the engine that produced what is
 * here: when Bedrock fails, the statistical result comes back with `provider: 'statistical'`, `degraded: true` and the
 * reasons, so a fallback is never silent.
 */
export const DailyInsights = Type.Object({
  date: BusinessDate,
  provider: ProviderName,
  /** The Bedrock model that wrote the recommendations, else null. */
  model: Type.Union([Type.String(), Type.Null()]),
  degraded: Type.Boolean(),
  /** Why the result is degraded, and any model item that was dropped. */
  reasons: Type.Array(Type.String()),
  summary: Type.String(),
  anomalies: Type.Array(Anomaly),
  trends: Type.Array(Trend),
  recommendations: Type.Array(Recommendation),
});
export type DailyInsights = Static<typeof DailyInsights>;
