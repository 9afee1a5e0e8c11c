import { analysisCorrelationId, defineHandler, Env, type FactsRef, getJson, writeAnalysisFile } from '@tillflow/aws';
import { detectAnomalies, type InsightFacts } from '@tillflow/insights';
import { type AnomalyStepResult, anomalyStepResult } from './anomaly-step';

/**
 * Insight branch of daily-analysis: each reporting store's figures against its own history and against its peers
 * (statistical engine, deterministic). Writes the anomalies under `analysis/` and returns their key.
 */
export const handler = defineHandler(
  {
    name: 'detect-anomalies',
    config: { BUCKET_NAME: Env.BUCKET_NAME },
    correlationId: analysisCorrelationId,
  },
  async (event: FactsRef, { config, logger }): Promise<AnomalyStepResult> => {
    const facts = await getJson<InsightFacts>(config.BUCKET_NAME, event.factsKey);
    const anomalies = detectAnomalies(facts);
    const key = await writeAnalysisFile(config.BUCKET_NAME, event, 'anomalies.json', anomalies);
    const result = anomalyStepResult(key, anomalies);
    logger.info('anomalies detected', { count: result.count, ...result.severities });
    return result;
  },
);
