import { type Metrics, MetricUnit } from '@tillflow/aws';
import type { BedrockUsage } from '@tillflow/insights';
import type { RecommendationsResult } from './recommendations';

/**
 * Bedrock usage as business metrics (docs/operations.md "Metrics"), per answered call: `BedrockInputTokens`,
 * `BedrockOutputTokens` and, for a model with a known price, `BedrockCostUsd` (an estimate, in US dollars), with the
 * model as the dimension `model`. One EMF line per figure and call, so that a retried analysis counts each call it paid for.
 */
export function bedrockUsageMetrics(metrics: Metrics): (usage: BedrockUsage) => void {
  return ({ modelId, inputTokens, outputTokens, estimatedCostUsd }) => {
    // A single metric is flushed by its one addMetric: one per figure, each with the model dimension.
    const emit = (name: string, unit: Parameters<Metrics['addMetric']>[1], value: number): void => {
      const single = metrics.singleMetric();
      single.addDimension('model', modelId);
      single.addMetric(name, unit, value);
    };
    emit('BedrockInputTokens', MetricUnit.Count, inputTokens);
    emit('BedrockOutputTokens', MetricUnit.Count, outputTokens);
    if (estimatedCostUsd !== null) emit('BedrockCostUsd', MetricUnit.NoUnit, estimatedCostUsd);
  };
}

/** `InsightsGenerated` (1 a day analysed) and `InsightsDegraded` (1 when the day fell back, else 0). */
export function recordInsightsMetrics(metrics: Metrics, result: RecommendationsResult): void {
  metrics.addMetric('InsightsGenerated', MetricUnit.Count, 1);
  metrics.addMetric('InsightsDegraded', MetricUnit.Count, result.degraded ? 1 : 0);
}
