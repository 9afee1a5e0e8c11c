import { type Metrics, MetricUnit } from '@tillflow/aws';
import type { BedrockUsage } from '@tillflow/insights';
import type { RecommendationsResult } from './recommendations';

/**
 * Bedrock usage as business metrics (docs/operations.md "Metrics"), per answered call: `BedrockInputTokens`,
 * `BedrockOutputTokens` and, for a model with a known price, `BedrockCostUsd` (an estimate, in US dollars), with the
 * model as the dimension `model`. One EMF line per call, so that a retried analysis counts each call it paid for.
 */
export function bedrockUsageMetrics(metrics: Metrics): (usage: BedrockUsage) => void {
  return (usage) => {
    const single = metrics.singleMetric();
    single.addDimension('model', usage.modelId);
    single.addMetric('BedrockInputTokens', MetricUnit.Count, usage.inputTokens);
    single.addMetric('BedrockOutputTokens', MetricUnit.Count, usage.outputTokens);
    if (usage.estimatedCostUsd !== null) single.addMetric('BedrockCostUsd', MetricUnit.NoUnit, usage.estimatedCostUsd);
  };
}

/** `InsightsGenerated` (1 a day analysed) and `InsightsDegraded` (1 when the day fell back, else 0). */
export function recordInsightsMetrics(metrics: Metrics, result: RecommendationsResult): void {
  metrics.addMetric('InsightsGenerated', MetricUnit.Count, 1);
  metrics.addMetric('InsightsDegraded', MetricUnit.Count, result.degraded ? 1 : 0);
}
