import { detectAnomalies } from './anomalies';
import type { InsightFacts } from './insight-facts.schema';
import type { Anomaly, DailyInsights, Recommendation, Trend } from './insights.schema';
import { resolveOptions, type StatisticalOptions } from './options';
import type { InsightsProvider, Precomputed } from './provider';
import { recommend } from './recommendations';
import { analyzeTrends } from './trends';

/**
 * The whole statistical analysis of a day: anomalies (`detectAnomalies`), trends (`analyzeTrends`) and rule-based
 * recommendations (`recommend`). Pure and deterministic: the same facts give the same output, ids included. Pass
 * `precomputed` when the anomalies and trends were computed by earlier workflow steps.
 */
export function statisticalInsights(
  facts: InsightFacts,
  options: Partial<StatisticalOptions> = {},
  precomputed?: Precomputed,
): DailyInsights {
  const o = resolveOptions(options);
  const anomalies = precomputed?.anomalies ?? detectAnomalies(facts, o);
  const trends = precomputed?.trends ?? analyzeTrends(facts, o);
  const recommendations = recommend(facts, anomalies, trends, o);
  return {
    date: facts.date,
    provider: 'statistical',
    model: null,
    degraded: false,
    reasons: [],
    summary: daySummary(facts.date, anomalies, trends, recommendations),
    anomalies,
    trends,
    recommendations,
  };
}

/** One line of counts for the day, e.g. `2025-10-29: 2 anomalies (1 critical), ...`. */
export function daySummary(
  date: string,
  anomalies: readonly Anomaly[],
  trends: readonly Trend[],
  recommendations: readonly Recommendation[],
): string {
  const n = (items: readonly unknown[], one: string, many = `${one}s`) =>
    `${items.length} ${items.length === 1 ? one : many}`;
  const critical = anomalies.filter((a) => a.severity === 'critical').length;
  const improving = trends.filter((t) => t.direction === 'improving').length;
  const declining = trends.filter((t) => t.direction === 'declining').length;
  const high = recommendations.filter((r) => r.priority === 'high').length;
  return (
    `${date}: ${n(anomalies, 'anomaly', 'anomalies')} (${critical} critical), ` +
    `${n(trends, 'trend')} (${improving} improving, ${declining} declining), ` +
    `${n(recommendations, 'recommendation')} (${high} high priority).`
  );
}

/** The default provider: `statisticalInsights` behind the provider interface. */
export function createStatisticalProvider(options: Partial<StatisticalOptions> = {}): InsightsProvider {
  return {
    name: 'statistical',
    analyze: async (facts, precomputed) => statisticalInsights(facts, options, precomputed),
  };
}
