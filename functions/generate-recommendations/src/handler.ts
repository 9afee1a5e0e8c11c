import { analysisCorrelationId, bedrockRuntimeClient, defineHandler, Env } from '@tillflow/aws';
import { createInsightsProvider } from '@tillflow/insights';
import { RecommendationsEvent } from './event';
import { bedrockUsageMetrics, recordInsightsMetrics } from './metrics';
import { generateRecommendations, type RecommendationsResult } from './recommendations';

/**
 * Recommendations for the day from its anomalies and trends, by the provider named in `INSIGHTS_PROVIDER`
 * (`statistical`, or `bedrock` grounded on the statistical facts). A failed insight branch or provider falls back to
 * the statistical result and marks the day degraded, with a notice the workflow publishes as a partial failure.
 */
export const handler = defineHandler(
  {
    name: 'generate-recommendations',
    config: {
      BUCKET_NAME: Env.BUCKET_NAME,
      INSIGHTS_PROVIDER: Env.INSIGHTS_PROVIDER,
      BEDROCK_MODEL_ID: Env.BEDROCK_MODEL_ID,
    },
    event: RecommendationsEvent,
    correlationId: analysisCorrelationId,
  },
  async (event, { config, logger, metrics, lambda }): Promise<RecommendationsResult> => {
    const provider = createInsightsProvider(config.INSIGHTS_PROVIDER, {
      // Token usage, cost and fallbacks of the Bedrock provider land in the function's structured log.
      logger: { info: (m, fields) => logger.info(m, fields ?? {}), warn: (m, fields) => logger.warn(m, fields ?? {}) },
      ...(config.INSIGHTS_PROVIDER === 'bedrock'
        ? {
            bedrock: {
              client: await bedrockRuntimeClient(),
              onUsage: bedrockUsageMetrics(metrics),
              // Bedrock gets the invocation's time but 5 s, for the fallback and the writes after it.
              remainingMs: () => lambda.getRemainingTimeInMillis() - 5000,
              ...(config.BEDROCK_MODEL_ID ? { modelId: config.BEDROCK_MODEL_ID } : {}),
            },
          }
        : {}),
    });
    const result = await generateRecommendations(config.BUCKET_NAME, provider, event);
    recordInsightsMetrics(metrics, result);
    const { provider: name, degraded, anomalies, trends, recommendations } = result;
    logger.info('insights generated', { provider: name, degraded, anomalies, trends, recommendations });
    return result;
  },
);
